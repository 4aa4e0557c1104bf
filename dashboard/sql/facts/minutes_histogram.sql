-- Attended pairs per whole minute (minutes rounded down), to find medians without sorting
-- every pair: the histogram locates the minute holding the middle pair, and only the pairs
-- of that minute are sorted (queries/minutes_exact.sql). Only pairs whose minutes are known
-- (docs/metrics.md: not from check-ins only); rehearsal persons are left out. Everyone's, or
-- only the pairs of the persons rebuilt (counted by difference, as event_cell_facts).
select event_id, event_key, slot, series, event_date, country, role, stage, whole_minute, count(*) as pairs
from pair_facts
where minutes_known and not is_rehearsal
  and ($everyone or person_id in (select person_id from rebuild_persons))
group by all
