-- Add column "role" to table: "audit_events"
ALTER TABLE `audit_events` ADD COLUMN `role` text NULL;
-- Add column "request_id" to table: "audit_events"
ALTER TABLE `audit_events` ADD COLUMN `request_id` text NULL;
-- Add column "anonymized_at" to table: "data_records"
ALTER TABLE `data_records` ADD COLUMN `anonymized_at` datetime NULL;
-- Add column "erased_at" to table: "requests"
ALTER TABLE `requests` ADD COLUMN `erased_at` datetime NULL;
