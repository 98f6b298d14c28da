-- Modify "request_tasks" table
ALTER TABLE "request_tasks" ADD COLUMN "categories" jsonb NULL;
