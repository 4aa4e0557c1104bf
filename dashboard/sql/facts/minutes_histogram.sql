-- Attended pairs per whole minute (minutes rounded down), to find medians without sorting
-- every pair: the histogram locates the minute holding the middle pair, and only the pairs
-- of that minute are sorted (queries/minutes_exact.sql). Only pairs whose minutes are known
-- (docs/metrics.md: not from check-ins only); rehearsal persons are left out. For the
-- (cell, minute)s rebuilt.
select event_id, event_key, slot, series, event_date, country, role, stage, whole_minute, count(*) as pairs
from pair_facts
where minutes_known and not is_rehearsal
  and ($everyone or (event_id, country, role, whole_minute) in (
      select (event_id, country, role, whole_minute) from rebuild_minutes))
group by all
