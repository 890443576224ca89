-- Job lease epochs (see docs/formats.md, "control database"): every acquisition of a job's lease sets
-- lease_epoch one higher; a renewal keeps it. 0 means the job's lease was never acquired.
ALTER TABLE jobs ADD COLUMN lease_epoch BIGINT NOT NULL DEFAULT 0;
