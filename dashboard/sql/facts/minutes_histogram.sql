-- Attended pairs per whole minute (minutes rounded down), to find medians without sorting
-- every pair: the histogram locates the minute holding the middle pair, and only the pairs
-- of that minute are sorted (queries/minutes_exact.sql). Rehearsal persons are left out. For the
-- (cell, minute)s rebuilt.
select event_id, event_key, slot, series, event_date, country, role, stage, whole_minute, count(*) as pairs
from pair_facts
where minutes is not null and not is_rehearsal
  and ($everyone or (event_id, country, role, whole_minute) in (
      select (event_id, country, role, whole_minute) from rebuild_minutes))
group by all
