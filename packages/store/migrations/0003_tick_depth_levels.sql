-- Market depth of ticks as a flat bigint array instead of jsonb: COPY parses 30 integers about five times faster
-- than the equivalent jsonb object, and depth is most of a full-mode tick's bytes (docs/BENCHMARKS.md "ingest").
-- Layout: [bid level count, then (price paise, qty, orders) per bid level, then the same per ask level].
-- Rows written before this migration keep their jsonb `depth`; a row has at most one of the two.
ALTER TABLE ticks ADD COLUMN depth_levels bigint[];
ALTER TABLE ticks ADD CONSTRAINT ticks_one_depth_form CHECK (depth IS NULL OR depth_levels IS NULL);
