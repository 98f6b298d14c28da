-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_vendors" table
CREATE TABLE `new_vendors` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `legal_name` text NULL, `services` json NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `risk_tier` text NOT NULL DEFAULT ('MEDIUM'), `risk_rank` integer NOT NULL DEFAULT (2), `review_cadence_months` integer NULL, `certifications` json NULL, `website` text NULL, `dpf_frameworks` json NULL, `dpf_active_from` datetime NULL, `dpf_active_until` datetime NULL, `dpf_last_verified` datetime NULL, `country_id` text NOT NULL, `parent_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `vendors_countries_vendors` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE NO ACTION, CONSTRAINT `vendors_vendors_subsidiaries` FOREIGN KEY (`parent_id`) REFERENCES `vendors` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "vendors" to new temporary table "new_vendors"
INSERT INTO `new_vendors` (`id`, `created_at`, `updated_at`, `name`, `legal_name`, `services`, `status`, `risk_tier`, `review_cadence_months`, `certifications`, `website`, `dpf_frameworks`, `dpf_active_from`, `dpf_active_until`, `dpf_last_verified`, `country_id`, `parent_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `legal_name`, `services`, `status`, `risk_tier`, `review_cadence_months`, `certifications`, `website`, `dpf_frameworks`, `dpf_active_from`, `dpf_active_until`, `dpf_last_verified`, `country_id`, `parent_id` FROM `vendors`;
-- Drop "vendors" table after copying rows
DROP TABLE `vendors`;
-- Rename temporary table "new_vendors" to "vendors"
ALTER TABLE `new_vendors` RENAME TO `vendors`;
-- Create index "vendors_name_key" to table: "vendors"
CREATE UNIQUE INDEX `vendors_name_key` ON `vendors` (`name`);
-- Create index "vendor_country_id" to table: "vendors"
CREATE INDEX `vendor_country_id` ON `vendors` (`country_id`);
-- Create index "vendor_status_risk_rank" to table: "vendors"
CREATE INDEX `vendor_status_risk_rank` ON `vendors` (`status`, `risk_rank`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
-- Rank the tiers of existing vendors
UPDATE vendors SET risk_rank = CASE risk_tier WHEN 'HIGH' THEN 1 WHEN 'LOW' THEN 3 ELSE 2 END;
