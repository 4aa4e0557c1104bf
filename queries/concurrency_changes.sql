-- Question: for the selected persons, by how much does the number of connected audience
-- persons change at each second of each selected webinar? The running sum of these changes
-- is the number connected; its maximum is the peak concurrent (reach.peak_concurrent).
-- All changes at one instant are summed together, so a leave at t comes before a join at t
-- (intervals are half-open). Segments are merged per person, so persons are distinct.
-- Grain: one row per (selected webinar, second) at which someone joins or leaves.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double (an attendance shorter than this does not count).
-- Columns: event_key, at_s (epoch seconds, UTC), net_change (persons), ordered by webinar and time.
with selected as (
    from selected_segments($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
),
changes as (
    select slot, at_s, sum(delta) as net_change
    from (
        select slot, start_s as at_s, 1 as delta from selected
        union all
        select slot, end_s as at_s, -1 as delta from selected
    )
    group by slot, at_s
)
select e.event_key, c.at_s, cast(c.net_change as integer) as net_change
from changes c
join event_facts e using (slot)
order by c.slot, c.at_s
