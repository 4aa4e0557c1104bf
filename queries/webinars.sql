-- Question: how did each webinar of the selection do?
-- Grain: one row per selected webinar, in order of start.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[], $min_minutes double.
-- Columns: event_key, series, title, starts_at (UTC), event_date (programme zone), platform,
--   registrants (persons), participants (persons), attendance_rate (share 0..1, null without
--   registrations), median_minutes (per participant, minutes), peak_concurrent (the most
--   distinct audience persons connected at one instant; intervals are half-open, so a leave
--   at t comes before a join at t).
with selected as (
    from selected_person_event($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
),
per_event as (
    select event_id,
        count(*) filter (where is_registered) as registrants,
        count(*) filter (where is_attended) as participants,
        count(*) filter (where is_registered and is_attended) / nullif(count(*) filter (where is_registered), 0) as attendance_rate,
        median(minutes) filter (where is_attended) as median_minutes
    from selected
    group by event_id
),
changes as (
    -- net change of connected persons at each instant; segments are already merged per person
    select event_id, changed_at, sum(delta) as delta
    from (
        select event_id, seg_start as changed_at, 1 as delta
        from selected_segments($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
        union all
        select event_id, seg_end as changed_at, -1 as delta
        from selected_segments($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
    )
    group by event_id, changed_at
),
peaks as (
    select event_id, cast(max(connected) as bigint) as peak_concurrent
    from (
        select event_id, sum(delta) over (partition by event_id order by changed_at rows unbounded preceding) as connected
        from changes
    )
    group by event_id
)
select e.event_key, e.series, e.title, e.starts_at, e.event_date, e.platform,
    coalesce(p.registrants, 0) as registrants,
    coalesce(p.participants, 0) as participants,
    p.attendance_rate,
    p.median_minutes,
    coalesce(k.peak_concurrent, 0) as peak_concurrent
from selected_events($events, $series, $date_from, $date_to) e
left join per_event p using (event_id)
left join peaks k using (event_id)
order by e.starts_at, e.event_id
