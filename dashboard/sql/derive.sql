-- Derived tables, rebuilt from the canonical ones after every load (demo, import, ingest).
-- Person attributes follow docs/metrics.md. The facts tables are laid out for the overview's
-- questions: each is one scan of one table, clustered by (country, role) so that person
-- filters skip whole row groups. Statements run one by one; $max_slot is the highest
-- webinar slot (number of webinars - 1, at least 0).

-- Every reported interval: imported attendance rows, and the intervals of live events (a join
-- up to the same person's next leave in that webinar; a join not left yet lasts to the
-- webinar's planned end, or its start plus 90 minutes when no length is planned).
create or replace temp view all_attendance as
with live as (
    select l.*,
        first_value(case when type = 'leave' then occurred_at end ignore nulls) over (
            partition by person_id, event_id order by occurred_at, type = 'join'   -- a leave at t before a join at t
            rows between 1 following and unbounded following
        ) as left_at
    from live_events l
)
select person_id, event_id, joined_at, left_at, is_staff, staff_role, country, role
from attendance
union all
select l.person_id, l.event_id, l.occurred_at,
    greatest(l.occurred_at, coalesce(l.left_at, e.starts_at + to_minutes(coalesce(e.planned_minutes, 90)))),
    false, null, l.country, l.role
from live l join events e using (event_id)
where l.type = 'join';

-- Country of a person: declared at registration (the latest declaration) if any; else the
-- most frequent platform-reported country among their rows (tie: the latest row); else null.
create or replace temp table person_country as
with declared as (
    select person_id, arg_max(country, coalesce(registered_at, timestamp '1900-01-01')) as country
    from registrations
    where country is not null
    group by person_id
),
reported_counts as (
    select person_id, country, count(*) as n_rows, max(joined_at) as last_at
    from all_attendance
    where country is not null
    group by person_id, country
),
reported as (
    select person_id, arg_max(country, (n_rows, last_at)) as country
    from reported_counts
    group by person_id
)
select p.person_id, coalesce(d.country, r.country) as country
from participants p
left join declared d using (person_id)
left join reported r using (person_id);

-- Role of a person: the most recently stated role; none stated -> 'unknown'.
create or replace temp table person_role as
with statements as (
    select person_id, role, coalesce(registered_at, timestamp '1900-01-01') as stated_at
    from registrations where role is not null and role <> 'unknown'
    union all
    select person_id, role, joined_at
    from all_attendance where role is not null and role <> 'unknown'
)
select person_id, arg_max(role, stated_at) as role
from statements
group by person_id;

update participants p
set country = c.country, role = coalesce(r.role, 'unknown')
from person_country c left join person_role r using (person_id)
where p.person_id = c.person_id;

drop table person_country;

drop table person_role;

-- Webinars with their date in the programme's time zone and their slot: 0, 1, … in order of
-- start. Slots index the per-person bitstrings below.
create or replace table event_facts as
select event_id, event_key, series, title, starts_at, platform, programme_date(starts_at) as event_date,
    cast(row_number() over (order by starts_at, event_id) - 1 as integer) as slot
from events;

-- Merged audience intervals: overlapping or touching rejoins of one person in one event
-- become one segment, so a person is counted once at any instant and minutes are a union.
create or replace temp table audience_segments as
with rows_ordered as (
    select person_id, event_id, joined_at, left_at,
        max(left_at) over (
            partition by person_id, event_id order by joined_at, left_at
            rows between unbounded preceding and 1 preceding
        ) as reach_so_far
    from all_attendance
    where not is_staff
),
islands as (
    select *, sum(case when reach_so_far is null or joined_at > reach_so_far then 1 else 0 end)
        over (partition by person_id, event_id order by joined_at, left_at) as segment_no
    from rows_ordered
)
select person_id, event_id, min(joined_at) as seg_start, max(left_at) as seg_end
from islands
group by person_id, event_id, segment_no;

-- One row per (person, webinar) that is registered or attended, with the person's attributes.
create or replace table pair_facts as
with attended as (
    select person_id, event_id, sum(epoch(seg_end) - epoch(seg_start)) / 60.0 as minutes
    from audience_segments
    group by person_id, event_id
),
pairs as (
    select person_id, event_id, r.person_id is not null as is_registered, a.minutes
    from (select person_id, event_id from registrations) r
    full outer join attended a using (person_id, event_id)
)
select
    pairs.person_id, pairs.event_id, e.event_key, e.slot, e.series, e.event_date,
    coalesce(p.country, 'unknown') as country, p.role, c.stage,
    pairs.is_registered,
    pairs.minutes,   -- null: registered, did not attend
    cast(floor(pairs.minutes) as integer) as whole_minute
from pairs
join participants p using (person_id)
join event_facts e using (event_id)
left join countries c on c.iso2 = p.country
-- by minute: a median reads only the pairs of one minute, and the scan skips the rest
order by whole_minute nulls last, country, role;

-- One row per person with a registration or an attendance: which webinars (by slot) they
-- attended and registered for, as bitstrings. Distinct persons of any webinar selection are
-- then one scan of this table; for all webinars (the usual view) the counts are stored too.
create or replace table person_facts as
select person_id, any_value(country) as country, any_value(role) as role, any_value(stage) as stage,
    count(*) filter (where minutes is not null) as n_attended,
    bool_or(is_registered) as is_registrant,
    min(slot) filter (where minutes is not null) as first_slot,
    coalesce(bitstring_agg(slot, 0, $max_slot) filter (where minutes is not null),
             bitstring('0', $max_slot + 1)) as attended,
    coalesce(bitstring_agg(slot, 0, $max_slot) filter (where is_registered),
             bitstring('0', $max_slot + 1)) as registered
from pair_facts
group by person_id
order by country, role;

-- Pair counts per (webinar, country, role): within one webinar a person is one pair, so these
-- add up over countries and roles.
create or replace table event_cell_facts as
select event_id, event_key, slot, series, event_date, country, role, stage,
    count(*) filter (where is_registered) as registrants,
    count(*) filter (where minutes is not null) as participants,
    count(*) filter (where is_registered and minutes is not null) as registered_attended,
    coalesce(sum(minutes), 0) as minutes_total
from pair_facts
group by all
order by country, role, slot;

-- Attended pairs per whole minute (minutes rounded down), to find medians without sorting
-- every pair: the histogram locates the minute holding the middle pair, and only the pairs
-- of that minute are sorted (queries/median_minutes.sql).
create or replace table minutes_histogram as
select event_id, event_key, slot, series, event_date, country, role, stage, whole_minute, count(*) as pairs
from pair_facts
where minutes is not null
group by all
order by country, role, slot;

-- Audience segments with the person's attributes and the pair's minutes, for concurrency
-- under person filters; times as whole seconds from the webinar's start (times are kept to
-- the second, so this is exact).
create or replace table segment_facts as
select s.event_id, pf.event_key, pf.slot, pf.series, pf.event_date, pf.country, pf.role, pf.stage, pf.minutes,
    cast(epoch(s.seg_start) - epoch(e.starts_at) as integer) as start_offset_s,
    cast(epoch(s.seg_end) - epoch(e.starts_at) as integer) as end_offset_s
from audience_segments s
join pair_facts pf using (person_id, event_id)
join event_facts e using (event_id)
order by pf.country, pf.role, pf.slot;

-- Peak concurrent audience of each webinar over all persons: the running count of connected
-- persons over time; at one instant all changes apply together, so a leave at t comes
-- before a join at t.
create or replace table event_peaks as
with changes as (
    select event_id, at_s, sum(delta) as delta
    from (
        select event_id, start_offset_s as at_s, 1 as delta from segment_facts
        union all
        select event_id, end_offset_s as at_s, -1 as delta from segment_facts
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
group by e.event_id;

drop table audience_segments;
