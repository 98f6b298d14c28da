-- Create "webhook_events" table
CREATE TABLE "webhook_events" ("id" character varying NOT NULL, "kind" character varying NOT NULL, "payload" text NOT NULL, "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create "webhook_subscribers" table
CREATE TABLE "webhook_subscribers" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "url" character varying NOT NULL, "secret" character varying NOT NULL, "events" jsonb NOT NULL, "active" boolean NOT NULL DEFAULT true, "description" character varying NULL, PRIMARY KEY ("id"));
-- Create "webhook_deliveries" table
CREATE TABLE "webhook_deliveries" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "attempts" bigint NOT NULL DEFAULT 0, "next_attempt_at" timestamptz NULL, "last_status_code" bigint NULL, "last_error" character varying NULL, "delivered_at" timestamptz NULL, "claim" character varying NULL, "event_id" character varying NOT NULL, "subscriber_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "webhook_deliveries_webhook_events_deliveries" FOREIGN KEY ("event_id") REFERENCES "webhook_events" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "webhook_deliveries_webhook_subscribers_deliveries" FOREIGN KEY ("subscriber_id") REFERENCES "webhook_subscribers" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX "webhookdelivery_status_next_attempt_at" ON "webhook_deliveries" ("status", "next_attempt_at");
-- Create index "webhookdelivery_subscriber_id_event_id" to table: "webhook_deliveries"
CREATE UNIQUE INDEX "webhookdelivery_subscriber_id_event_id" ON "webhook_deliveries" ("subscriber_id", "event_id");
