-- Question: how many attendances of each selected webinar lasted each whole number of minutes?
-- With minutes_exact.sql it gives exact medians without sorting every attendance: this
-- histogram locates the minute holding the middle attendance(s), minutes_exact.sql reads the
-- exact durations inside that minute only (reach.median_minutes). Only attendances whose minutes
-- are known count: one known only from check-ins has no measured length (docs/metrics.md).
-- Grain: one row per (selected webinar, whole minute) with attended pairs.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double (an attendance shorter than this, or of unknown minutes, does not count),
--   $rehearsals boolean (count rehearsal persons), $from_pairs boolean (Filters.params decides).
-- Columns: event_key, whole_minute (minutes rounded down), pairs (attended (person, webinar) pairs).
select event_key, whole_minute, sum(pairs) as pairs
from selected_minutes_histogram($countries, $roles, $events, $series, $date_from, $date_to, $stages)
where not $from_pairs
group by event_key, whole_minute
union all
select event_key, whole_minute, count(*)
from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
where $from_pairs and is_attended and minutes_known
group by event_key, whole_minute
