-- Peak concurrent audience of each webinar over all persons: the running count of connected
-- persons over time; at one instant all changes apply together, so a leave at t comes
-- before a join at t. Rehearsal persons are left out. For the webinars rebuilt.
with segments as (
    select event_id, start_offset_s, end_offset_s
    from segment_facts
    where not is_rehearsal and ($everyone or event_id in (select event_id from rebuild_events))
),
changes as (
    select event_id, at_s, sum(delta) as delta
    from (
        select event_id, start_offset_s as at_s, 1 as delta from segments
        union all
        select event_id, end_offset_s as at_s, -1 as delta from segments
    )
    group by event_id, at_s
),
running as (
    select event_id, sum(delta) over (partition by event_id order by at_s rows unbounded preceding) as connected
    from changes
)
select e.event_id, coalesce(cast(max(r.connected) as bigint), 0) as peak_concurrent
from event_facts e
left join running r using (event_id)
where $everyone or e.event_id in (select event_id from rebuild_events)
group by e.event_id
