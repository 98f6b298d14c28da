-- Create "api_tokens" table
CREATE TABLE `api_tokens` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `hint` text NOT NULL, `secret_hash` blob NOT NULL, `expires_at` datetime NULL, `revoked_at` datetime NULL, `last_used_at` datetime NULL, `operator_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `api_tokens_operators_tokens` FOREIGN KEY (`operator_id`) REFERENCES `operators` (`id`) ON DELETE NO ACTION);
-- Create index "api_tokens_secret_hash_key" to table: "api_tokens"
CREATE UNIQUE INDEX `api_tokens_secret_hash_key` ON `api_tokens` (`secret_hash`);
-- Create "adequacy_decisions" table
CREATE TABLE `adequacy_decisions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `regime` text NOT NULL, `scope` text NOT NULL, `reference` text NOT NULL, `valid_from` datetime NOT NULL, `valid_until` datetime NULL, `note` text NULL, `country_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `adequacy_decisions_countries_adequacy_decisions` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION);
-- Create index "adequacydecision_regime_country_id_valid_from" to table: "adequacy_decisions"
CREATE UNIQUE INDEX `adequacydecision_regime_country_id_valid_from` ON `adequacy_decisions` (`regime`, `country_id`, `valid_from`);
-- Create "assessments" table
CREATE TABLE `assessments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `performed_at` datetime NOT NULL, `outcome` text NOT NULL, `findings` text NULL, `next_due` datetime NULL, `performed_by` text NULL, `transfer_id` text NULL, `vendor_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `assessments_transfers_assessments` FOREIGN KEY (`transfer_id`) REFERENCES `transfers` (`id`) ON DELETE NO ACTION, CONSTRAINT `assessments_vendors_assessments` FOREIGN KEY (`vendor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` text NOT NULL, `seq` integer NOT NULL, `at` datetime NOT NULL, `actor` text NOT NULL, `action` text NOT NULL, `target_type` text NOT NULL, `target_id` text NOT NULL, `changes` json NULL, `prev_hash` text NOT NULL, `hash` text NOT NULL, PRIMARY KEY (`id`));
-- Create index "audit_events_seq_key" to table: "audit_events"
CREATE UNIQUE INDEX `audit_events_seq_key` ON `audit_events` (`seq`);
-- Create index "auditevent_target_id" to table: "audit_events"
CREATE INDEX `auditevent_target_id` ON `audit_events` (`target_id`);
-- Create index "auditevent_at" to table: "audit_events"
CREATE INDEX `auditevent_at` ON `audit_events` (`at`);
-- Create "clauses" table
CREATE TABLE `clauses` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `reference` text NOT NULL, `topic` text NULL, `parameters` json NULL, `contract_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `clauses_contracts_clauses` FOREIGN KEY (`contract_id`) REFERENCES `contracts` (`id`) ON DELETE NO ACTION);
-- Create index "clause_contract_id_reference" to table: "clauses"
CREATE UNIQUE INDEX `clause_contract_id_reference` ON `clauses` (`contract_id`, `reference`);
-- Create "consents" table
CREATE TABLE `consents` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `decision` text NOT NULL, `explicit` bool NOT NULL DEFAULT (false), `recorded_at` datetime NOT NULL, `source` text NULL, `evidence` text NULL, `purpose_id` text NOT NULL, `user_id` text NOT NULL, `recipient_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `consents_purposes_consents` FOREIGN KEY (`purpose_id`) REFERENCES `purposes` (`id`) ON DELETE NO ACTION, CONSTRAINT `consents_users_consents` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `consents_vendors_consents` FOREIGN KEY (`recipient_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create index "consent_user_id_purpose_id_recorded_at" to table: "consents"
CREATE INDEX `consent_user_id_purpose_id_recorded_at` ON `consents` (`user_id`, `purpose_id`, `recorded_at`);
-- Create "contracts" table
CREATE TABLE `contracts` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `kind` text NOT NULL, `regime` text NOT NULL DEFAULT ('EU_GDPR'), `scc_decision` text NULL, `scc_module` text NULL, `clause9_option` text NULL, `clause9_notice_days` integer NULL, `clause13_authority` text NULL, `dpa_stipulations` json NULL, `signed_at` datetime NULL, `effective_at` datetime NULL, `expires_at` datetime NULL, `document_ref` text NULL, `document_sha256` text NULL, `clause17_law_country_id` text NULL, `clause18_forum_country_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `contracts_countries_clause17_law_country` FOREIGN KEY (`clause17_law_country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION, CONSTRAINT `contracts_countries_clause18_forum_country` FOREIGN KEY (`clause18_forum_country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION);
-- Create "contract_parties" table
CREATE TABLE `contract_parties` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `side` text NOT NULL DEFAULT ('PARTY'), `capacity` text NOT NULL, `accession_date` datetime NULL, `contract_id` text NOT NULL, `organization_id` text NULL, `vendor_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `contract_parties_contracts_parties` FOREIGN KEY (`contract_id`) REFERENCES `contracts` (`id`) ON DELETE NO ACTION, CONSTRAINT `contract_parties_organizations_contract_parties` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION, CONSTRAINT `contract_parties_vendors_contract_parties` FOREIGN KEY (`vendor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create index "contractparty_contract_id" to table: "contract_parties"
CREATE INDEX `contractparty_contract_id` ON `contract_parties` (`contract_id`);
-- Create index "contractparty_organization_id" to table: "contract_parties"
CREATE INDEX `contractparty_organization_id` ON `contract_parties` (`organization_id`);
-- Create index "contractparty_vendor_id" to table: "contract_parties"
CREATE INDEX `contractparty_vendor_id` ON `contract_parties` (`vendor_id`);
-- Create "countries" table
CREATE TABLE `countries` (`id` text NOT NULL, `name` text NOT NULL, `eu` bool NOT NULL DEFAULT (false), `eea` bool NOT NULL DEFAULT (false), PRIMARY KEY (`id`));
-- Create "data_categories" table
CREATE TABLE `data_categories` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key` text NOT NULL, `name` text NOT NULL, `sensitivity` text NOT NULL DEFAULT ('NORMAL'), `description` text NULL, `parent_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `data_categories_data_categories_children` FOREIGN KEY (`parent_id`) REFERENCES `data_categories` (`id`) ON DELETE NO ACTION);
-- Create index "data_categories_key_key" to table: "data_categories"
CREATE UNIQUE INDEX `data_categories_key_key` ON `data_categories` (`key`);
-- Create "data_records" table
CREATE TABLE `data_records` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `source` text NOT NULL, `collected_at` datetime NOT NULL, `last_used_at` datetime NULL, `value` text NULL, `legal_hold` bool NOT NULL DEFAULT (false), `category_id` text NOT NULL, `collector_organization_id` text NULL, `user_id` text NOT NULL, `collector_vendor_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `data_records_data_categories_data_records` FOREIGN KEY (`category_id`) REFERENCES `data_categories` (`id`) ON DELETE NO ACTION, CONSTRAINT `data_records_organizations_data_records` FOREIGN KEY (`collector_organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION, CONSTRAINT `data_records_users_data_records` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `data_records_vendors_data_records` FOREIGN KEY (`collector_vendor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create index "datarecord_user_id_category_id" to table: "data_records"
CREATE INDEX `datarecord_user_id_category_id` ON `data_records` (`user_id`, `category_id`);
-- Create index "datarecord_category_id" to table: "data_records"
CREATE INDEX `datarecord_category_id` ON `data_records` (`category_id`);
-- Create index "datarecord_collector_organization_id" to table: "data_records"
CREATE INDEX `datarecord_collector_organization_id` ON `data_records` (`collector_organization_id`);
-- Create index "datarecord_collector_vendor_id" to table: "data_records"
CREATE INDEX `datarecord_collector_vendor_id` ON `data_records` (`collector_vendor_id`);
-- Create "disclosures" table
CREATE TABLE `disclosures` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `disclosed_at` datetime NOT NULL, `reference` text NULL, `transfer_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `disclosures_transfers_disclosures` FOREIGN KEY (`transfer_id`) REFERENCES `transfers` (`id`) ON DELETE NO ACTION);
-- Create "operators" table
CREATE TABLE `operators` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `email` text NULL, `role` text NOT NULL, `disabled` bool NOT NULL DEFAULT (false), `user_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `operators_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "operators_email_key" to table: "operators"
CREATE UNIQUE INDEX `operators_email_key` ON `operators` (`email`);
-- Create "organizations" table
CREATE TABLE `organizations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `legal_name` text NULL, `dpo_contact` text NULL, `representative_contact` text NULL, `lead_supervisory_authority` text NULL, `country_id` text NOT NULL, `parent_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `organizations_countries_organizations` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION, CONSTRAINT `organizations_organizations_subsidiaries` FOREIGN KEY (`parent_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION);
-- Create index "organizations_name_key" to table: "organizations"
CREATE UNIQUE INDEX `organizations_name_key` ON `organizations` (`name`);
-- Create "purposes" table
CREATE TABLE `purposes` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `key` text NOT NULL, `name` text NOT NULL, `legal_basis` text NOT NULL, `legal_basis_note` text NULL, `subject_kinds` json NULL, `opt_out_allowed` bool NOT NULL DEFAULT (false), `marketing` bool NOT NULL DEFAULT (false), `retention_summary` text NULL, `description` text NULL, PRIMARY KEY (`id`));
-- Create index "purposes_key_key" to table: "purposes"
CREATE UNIQUE INDEX `purposes_key_key` ON `purposes` (`key`);
-- Create "requests" table
CREATE TABLE `requests` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `reference` text NULL, `kind` text NOT NULL, `status` text NOT NULL DEFAULT ('RECEIVED'), `received_at` datetime NOT NULL, `due_at` datetime NULL, `extension_notified_at` datetime NULL, `extension_months` integer NULL, `extension_reason` text NULL, `completed_at` datetime NULL, `history` json NULL, `retained` json NULL, `note` text NULL, `user_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `requests_users_requests` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "requests_reference_key" to table: "requests"
CREATE UNIQUE INDEX `requests_reference_key` ON `requests` (`reference`);
-- Create "request_tasks" table
CREATE TABLE `request_tasks` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `notified_at` datetime NULL, `confirmed_at` datetime NULL, `note` text NULL, `organization_id` text NULL, `request_id` text NOT NULL, `vendor_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `request_tasks_organizations_request_tasks` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION, CONSTRAINT `request_tasks_requests_tasks` FOREIGN KEY (`request_id`) REFERENCES `requests` (`id`) ON DELETE NO ACTION, CONSTRAINT `request_tasks_vendors_request_tasks` FOREIGN KEY (`vendor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create "retention_rules" table
CREATE TABLE `retention_rules` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `period` text NOT NULL, `trigger` text NOT NULL, `action` text NOT NULL DEFAULT ('DELETE'), `legal_basis` text NULL, `overrides_erasure` bool NOT NULL DEFAULT (false), `category_id` text NOT NULL, `purpose_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `retention_rules_data_categories_retention_rules` FOREIGN KEY (`category_id`) REFERENCES `data_categories` (`id`) ON DELETE NO ACTION, CONSTRAINT `retention_rules_purposes_retention_rules` FOREIGN KEY (`purpose_id`) REFERENCES `purposes` (`id`) ON DELETE NO ACTION);
-- Create "security_measures" table
CREATE TABLE `security_measures` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `topic` text NOT NULL, `description` text NULL, `verified_at` datetime NULL, PRIMARY KEY (`id`));
-- Create "subprocessor_changes" table
CREATE TABLE `subprocessor_changes` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `notified_at` datetime NOT NULL, `engaged_at` datetime NULL, `objection_deadline` datetime NULL, `objection` text NULL, `objected_at` datetime NULL, `outcome` text NULL, `processor_id` text NOT NULL, `subprocessor_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `subprocessor_changes_vendors_subprocessor_changes` FOREIGN KEY (`processor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION, CONSTRAINT `subprocessor_changes_vendors_subprocessor_notices` FOREIGN KEY (`subprocessor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create "transfers" table
CREATE TABLE `transfers` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NULL, `importer_role` text NOT NULL, `regime` text NOT NULL DEFAULT ('EU_GDPR'), `mechanism` text NOT NULL, `derogation` text NULL, `fallback_mechanism` text NULL, `safeguards` json NULL, `honours_opt_outs` bool NOT NULL DEFAULT (true), `active_from` datetime NOT NULL, `active_until` datetime NULL, `description` text NULL, `contract_id` text NULL, `country_id` text NOT NULL, `exporter_organization_id` text NULL, `importer_organization_id` text NULL, `exporter_vendor_id` text NULL, `importer_vendor_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `transfers_contracts_transfers` FOREIGN KEY (`contract_id`) REFERENCES `contracts` (`id`) ON DELETE NO ACTION, CONSTRAINT `transfers_countries_transfers` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION, CONSTRAINT `transfers_organizations_exported_transfers` FOREIGN KEY (`exporter_organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION, CONSTRAINT `transfers_organizations_imported_transfers` FOREIGN KEY (`importer_organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION, CONSTRAINT `transfers_vendors_exported_transfers` FOREIGN KEY (`exporter_vendor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION, CONSTRAINT `transfers_vendors_imported_transfers` FOREIGN KEY (`importer_vendor_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create index "transfer_exporter_organization_id" to table: "transfers"
CREATE INDEX `transfer_exporter_organization_id` ON `transfers` (`exporter_organization_id`);
-- Create index "transfer_exporter_vendor_id" to table: "transfers"
CREATE INDEX `transfer_exporter_vendor_id` ON `transfers` (`exporter_vendor_id`);
-- Create index "transfer_importer_organization_id" to table: "transfers"
CREATE INDEX `transfer_importer_organization_id` ON `transfers` (`importer_organization_id`);
-- Create index "transfer_importer_vendor_id" to table: "transfers"
CREATE INDEX `transfer_importer_vendor_id` ON `transfers` (`importer_vendor_id`);
-- Create index "transfer_country_id" to table: "transfers"
CREATE INDEX `transfer_country_id` ON `transfers` (`country_id`);
-- Create index "transfer_contract_id" to table: "transfers"
CREATE INDEX `transfer_contract_id` ON `transfers` (`contract_id`);
-- Create "users" table
CREATE TABLE `users` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `external_ref` text NOT NULL, `email` text NULL, `name` text NULL, `subject_kind` text NOT NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `country_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `users_countries_users` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION);
-- Create index "users_external_ref_key" to table: "users"
CREATE UNIQUE INDEX `users_external_ref_key` ON `users` (`external_ref`);
-- Create index "user_email" to table: "users"
CREATE INDEX `user_email` ON `users` (`email`);
-- Create "vendors" table
CREATE TABLE `vendors` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `legal_name` text NULL, `services` json NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `risk_tier` text NOT NULL DEFAULT ('MEDIUM'), `review_cadence_months` integer NULL, `certifications` json NULL, `website` text NULL, `dpf_frameworks` json NULL, `dpf_active_from` datetime NULL, `dpf_active_until` datetime NULL, `dpf_last_verified` datetime NULL, `country_id` text NOT NULL, `parent_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `vendors_countries_vendors` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION, CONSTRAINT `vendors_vendors_subsidiaries` FOREIGN KEY (`parent_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Create index "vendors_name_key" to table: "vendors"
CREATE UNIQUE INDEX `vendors_name_key` ON `vendors` (`name`);
-- Create index "vendor_country_id" to table: "vendors"
CREATE INDEX `vendor_country_id` ON `vendors` (`country_id`);
-- Create index "vendor_status_risk_tier" to table: "vendors"
CREATE INDEX `vendor_status_risk_tier` ON `vendors` (`status`, `risk_tier`);
-- Create "data_record_purposes" table
CREATE TABLE `data_record_purposes` (`data_record_id` text NOT NULL, `purpose_id` text NOT NULL, PRIMARY KEY (`data_record_id`, `purpose_id`), CONSTRAINT `data_record_purposes_data_record_id` FOREIGN KEY (`data_record_id`) REFERENCES `data_records` (`id`) ON DELETE CASCADE, CONSTRAINT `data_record_purposes_purpose_id` FOREIGN KEY (`purpose_id`) REFERENCES `purposes` (`id`) ON DELETE CASCADE);
-- Create "disclosure_users" table
CREATE TABLE `disclosure_users` (`disclosure_id` text NOT NULL, `user_id` text NOT NULL, PRIMARY KEY (`disclosure_id`, `user_id`), CONSTRAINT `disclosure_users_disclosure_id` FOREIGN KEY (`disclosure_id`) REFERENCES `disclosures` (`id`) ON DELETE CASCADE, CONSTRAINT `disclosure_users_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- Create "disclosure_categories" table
CREATE TABLE `disclosure_categories` (`disclosure_id` text NOT NULL, `data_category_id` text NOT NULL, PRIMARY KEY (`disclosure_id`, `data_category_id`), CONSTRAINT `disclosure_categories_disclosure_id` FOREIGN KEY (`disclosure_id`) REFERENCES `disclosures` (`id`) ON DELETE CASCADE, CONSTRAINT `disclosure_categories_data_category_id` FOREIGN KEY (`data_category_id`) REFERENCES `data_categories` (`id`) ON DELETE CASCADE);
-- Create "purpose_categories" table
CREATE TABLE `purpose_categories` (`purpose_id` text NOT NULL, `data_category_id` text NOT NULL, PRIMARY KEY (`purpose_id`, `data_category_id`), CONSTRAINT `purpose_categories_purpose_id` FOREIGN KEY (`purpose_id`) REFERENCES `purposes` (`id`) ON DELETE CASCADE, CONSTRAINT `purpose_categories_data_category_id` FOREIGN KEY (`data_category_id`) REFERENCES `data_categories` (`id`) ON DELETE CASCADE);
-- Create "security_measure_organizations" table
CREATE TABLE `security_measure_organizations` (`security_measure_id` text NOT NULL, `organization_id` text NOT NULL, PRIMARY KEY (`security_measure_id`, `organization_id`), CONSTRAINT `security_measure_organizations_security_measure_id` FOREIGN KEY (`security_measure_id`) REFERENCES `security_measures` (`id`) ON DELETE CASCADE, CONSTRAINT `security_measure_organizations_organization_id` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
-- Create "security_measure_vendors" table
CREATE TABLE `security_measure_vendors` (`security_measure_id` text NOT NULL, `vendor_id` text NOT NULL, PRIMARY KEY (`security_measure_id`, `vendor_id`), CONSTRAINT `security_measure_vendors_security_measure_id` FOREIGN KEY (`security_measure_id`) REFERENCES `security_measures` (`id`) ON DELETE CASCADE, CONSTRAINT `security_measure_vendors_vendor_id` FOREIGN KEY (`vendor_id`) REFERENCES `vendors` (`id`) ON DELETE CASCADE);
-- Create "security_measure_transfers" table
CREATE TABLE `security_measure_transfers` (`security_measure_id` text NOT NULL, `transfer_id` text NOT NULL, PRIMARY KEY (`security_measure_id`, `transfer_id`), CONSTRAINT `security_measure_transfers_security_measure_id` FOREIGN KEY (`security_measure_id`) REFERENCES `security_measures` (`id`) ON DELETE CASCADE, CONSTRAINT `security_measure_transfers_transfer_id` FOREIGN KEY (`transfer_id`) REFERENCES `transfers` (`id`) ON DELETE CASCADE);
-- Create "transfer_categories" table
CREATE TABLE `transfer_categories` (`transfer_id` text NOT NULL, `data_category_id` text NOT NULL, PRIMARY KEY (`transfer_id`, `data_category_id`), CONSTRAINT `transfer_categories_transfer_id` FOREIGN KEY (`transfer_id`) REFERENCES `transfers` (`id`) ON DELETE CASCADE, CONSTRAINT `transfer_categories_data_category_id` FOREIGN KEY (`data_category_id`) REFERENCES `data_categories` (`id`) ON DELETE CASCADE);
-- Create "transfer_purposes" table
CREATE TABLE `transfer_purposes` (`transfer_id` text NOT NULL, `purpose_id` text NOT NULL, PRIMARY KEY (`transfer_id`, `purpose_id`), CONSTRAINT `transfer_purposes_transfer_id` FOREIGN KEY (`transfer_id`) REFERENCES `transfers` (`id`) ON DELETE CASCADE, CONSTRAINT `transfer_purposes_purpose_id` FOREIGN KEY (`purpose_id`) REFERENCES `purposes` (`id`) ON DELETE CASCADE);
-- Create "transfer_clauses" table
CREATE TABLE `transfer_clauses` (`transfer_id` text NOT NULL, `clause_id` text NOT NULL, PRIMARY KEY (`transfer_id`, `clause_id`), CONSTRAINT `transfer_clauses_transfer_id` FOREIGN KEY (`transfer_id`) REFERENCES `transfers` (`id`) ON DELETE CASCADE, CONSTRAINT `transfer_clauses_clause_id` FOREIGN KEY (`clause_id`) REFERENCES `clauses` (`id`) ON DELETE CASCADE);
