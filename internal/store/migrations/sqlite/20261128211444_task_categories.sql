-- Add column "categories" to table: "request_tasks"
ALTER TABLE `request_tasks` ADD COLUMN `categories` json NULL;
