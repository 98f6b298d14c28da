-- Drop index "vendor_status_risk_tier" from table: "vendors"
DROP INDEX "vendor_status_risk_tier";
-- Modify "vendors" table
ALTER TABLE "vendors" ADD COLUMN "risk_rank" bigint NOT NULL DEFAULT 2;
-- Create index "vendor_status_risk_rank" to table: "vendors"
CREATE INDEX "vendor_status_risk_rank" ON "vendors" ("status", "risk_rank");
-- Rank the tiers of existing vendors
UPDATE vendors SET risk_rank = CASE risk_tier WHEN 'HIGH' THEN 1 WHEN 'LOW' THEN 3 ELSE 2 END;
