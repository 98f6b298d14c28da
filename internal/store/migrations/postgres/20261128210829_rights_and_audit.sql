-- Modify "audit_events" table
ALTER TABLE "audit_events" ADD COLUMN "role" character varying NULL, ADD COLUMN "request_id" character varying NULL;
-- Modify "data_records" table
ALTER TABLE "data_records" ADD COLUMN "anonymized_at" timestamptz NULL;
-- Modify "requests" table
ALTER TABLE "requests" ADD COLUMN "erased_at" timestamptz NULL;
