-- Derived facts, rebuilt from the canonical tables for a set of persons: everyone after a load
-- (demo, import, review; $everyone true), or only the persons of live events committed since
-- the last rebuild ($everyone false; their ids are in the temp table rebuild_persons).
-- Person attributes follow docs/metrics.md: a person's attributes, pairs and segments depend
-- on their own rows only, so rebuilding a set of persons is exact. Statements run one by one;
-- dashboard/database.py then writes each table of facts/ (whole, or the rows of the set).

-- Every reported interval of the persons rebuilt: imported attendance rows, and the intervals
-- of live events: a join lasts up to the same person's next leave in that webinar (a leave at
-- the same second as the join comes before it, so it does not close it); a join never left
-- lasts to the webinar's end: its planned end (its start plus 90 minutes when none is planned)
-- or, when live events of the same kind (real or rehearsal) came later, the end of the second
-- of the latest of them — whoever is connected when the last event arrives is counted there.
-- Each interval carries the bit of its source (filters.sql) and whether it is a check-in: a join
-- of a check-in person (identity 'checkin:…'), whose end is presence in the room, not a measured
-- length (docs/metrics.md: minutes are known when at least one interval of the pair is not one).
create or replace temp table rebuild_attendance as
with live as (
    select l.*,
        first_value(case when type = 'leave' then occurred_at end ignore nulls) over (
            partition by person_id, event_id order by occurred_at, type = 'join'   -- a leave at t before a join at t
            rows between 1 following and unbounded following
        ) as left_at
    from live_events l
    where $everyone or l.person_id in (select person_id from rebuild_persons)
),
latest_event as (   -- over every person of the webinar, not only those rebuilt
    select event_id, is_rehearsal, max(occurred_at) + interval 1 second as last_second_end
    from live_events
    group by event_id, is_rehearsal
)
select a.person_id, a.event_id, a.joined_at, a.left_at, a.is_staff, a.staff_role, a.country, a.role,
    attendance_source_bit(coalesce(i.format, a.source)) as source_bit, false as is_checkin
from attendance a
left join imports i on i.import_id = a.import_id
where $everyone or a.person_id in (select person_id from rebuild_persons)
union all
select l.person_id, l.event_id, l.occurred_at,
    coalesce(l.left_at, greatest(e.starts_at + to_minutes(coalesce(e.planned_minutes, 90)), le.last_second_end)),
    false, null, l.country, l.role,
    live_source_bit(starts_with(p.identity_key, 'checkin:')), starts_with(p.identity_key, 'checkin:')
from live l
join events e on e.event_id = l.event_id
join latest_event le on le.event_id = l.event_id and le.is_rehearsal is not distinct from l.is_rehearsal
join participants p on p.person_id = l.person_id
where l.type = 'join';

create or replace temp table rebuild_registrations as
select *
from registrations
where $everyone or person_id in (select person_id from rebuild_persons);

-- Country of a person: declared at registration (the latest declaration; registrations of
-- unknown time count as the oldest) if any; else the most frequent platform-reported country
-- among their rows (tie: the latest row); else null. Remaining ties: the greatest code, so
-- that the answer never depends on the order rows happen to be read in.
create or replace temp table person_country as
with declared as (
    select person_id, arg_max(country, (coalesce(registered_at, timestamp '1900-01-01'), country)) as country
    from rebuild_registrations
    where country is not null
    group by person_id
),
reported_counts as (
    select person_id, country, count(*) as n_rows, max(joined_at) as last_at
    from rebuild_attendance
    where country is not null
    group by person_id, country
),
reported as (
    select person_id, arg_max(country, (n_rows, last_at, country)) as country
    from reported_counts
    group by person_id
)
select p.person_id, coalesce(d.country, r.country) as country
from participants p
left join declared d using (person_id)
left join reported r using (person_id)
where $everyone or p.person_id in (select person_id from rebuild_persons);

-- Role of a person: the most recently stated role (ties: the greatest code); none stated -> 'unknown'.
create or replace temp table person_role as
with statements as (
    select person_id, role, coalesce(registered_at, timestamp '1900-01-01') as stated_at
    from rebuild_registrations where role is not null and role <> 'unknown'
    union all
    select person_id, role, joined_at
    from rebuild_attendance where role is not null and role <> 'unknown'
)
select person_id, arg_max(role, (stated_at, role)) as role
from statements
group by person_id;

update participants p
set country = c.country, role = coalesce(r.role, 'unknown')
from person_country c left join person_role r using (person_id)
where p.person_id = c.person_id;

drop table person_country;

drop table person_role;

-- Merged audience intervals: overlapping or touching rejoins of one person in one event
-- become one segment, so a person is counted once at any instant and minutes are a union. A
-- segment keeps the sources of its intervals and whether any of them is not a check-in.
create or replace temp table audience_segments as
with rows_ordered as (
    select person_id, event_id, joined_at, left_at, source_bit, is_checkin,
        max(left_at) over (
            partition by person_id, event_id order by joined_at, left_at
            rows between unbounded preceding and 1 preceding
        ) as reach_so_far
    from rebuild_attendance
    where not is_staff
),
islands as (
    select *, sum(case when reach_so_far is null or joined_at > reach_so_far then 1 else 0 end)
        over (partition by person_id, event_id order by joined_at, left_at) as segment_no
    from rows_ordered
)
select person_id, event_id, min(joined_at) as seg_start, max(left_at) as seg_end,
    bit_or(source_bit) as sources, bool_or(not is_checkin) as is_timed
from islands
group by person_id, event_id, segment_no;
