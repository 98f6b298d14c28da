-- Modify "organizations" table
ALTER TABLE "organizations" ADD COLUMN "dpf_frameworks" jsonb NULL, ADD COLUMN "dpf_active_from" timestamptz NULL, ADD COLUMN "dpf_active_until" timestamptz NULL;
