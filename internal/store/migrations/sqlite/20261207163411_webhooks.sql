-- Create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NULL, `last_status_code` integer NULL, `last_error` text NULL, `delivered_at` datetime NULL, `claim` text NULL, `event_id` text NOT NULL, `subscriber_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `webhook_deliveries_webhook_events_deliveries` FOREIGN KEY (`event_id`) REFERENCES `webhook_events` (`id`) ON DELETE CASCADE, CONSTRAINT `webhook_deliveries_webhook_subscribers_deliveries` FOREIGN KEY (`subscriber_id`) REFERENCES `webhook_subscribers` (`id`) ON DELETE CASCADE);
-- Create index "webhookdelivery_subscriber_id_event_id" to table: "webhook_deliveries"
CREATE UNIQUE INDEX `webhookdelivery_subscriber_id_event_id` ON `webhook_deliveries` (`subscriber_id`, `event_id`);
-- Create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_status_next_attempt_at` ON `webhook_deliveries` (`status`, `next_attempt_at`);
-- Create "webhook_events" table
CREATE TABLE `webhook_events` (`id` text NOT NULL, `kind` text NOT NULL, `payload` text NOT NULL, `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create "webhook_subscribers" table
CREATE TABLE `webhook_subscribers` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `secret` text NOT NULL, `events` json NOT NULL, `active` bool NOT NULL DEFAULT (true), `description` text NULL, PRIMARY KEY (`id`));
