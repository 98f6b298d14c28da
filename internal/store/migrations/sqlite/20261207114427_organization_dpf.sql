-- Add column "dpf_frameworks" to table: "organizations"
ALTER TABLE `organizations` ADD COLUMN `dpf_frameworks` json NULL;
-- Add column "dpf_active_from" to table: "organizations"
ALTER TABLE `organizations` ADD COLUMN `dpf_active_from` datetime NULL;
-- Add column "dpf_active_until" to table: "organizations"
ALTER TABLE `organizations` ADD COLUMN `dpf_active_until` datetime NULL;
