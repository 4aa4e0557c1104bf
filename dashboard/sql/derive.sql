-- Derived tables, rebuilt from the canonical ones after every load (demo, import, ingest).
-- Person attributes follow docs/metrics.md; the facts tables denormalise them so that every
-- overview question is one scan of one table.

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
    from attendance
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
    from attendance where role is not null and role <> 'unknown'
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

-- Merged audience intervals: overlapping or touching rejoins of one person in one event
-- become one segment, so a person is counted once at any instant and minutes are a union.
create or replace table audience_segments as
with rows_ordered as (
    select person_id, event_id, joined_at, left_at,
        max(left_at) over (
            partition by person_id, event_id order by joined_at, left_at
            rows between unbounded preceding and 1 preceding
        ) as reach_so_far
    from attendance
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

-- One row per (person, event) that is registered or attended, with the person's attributes.
create or replace table person_event as
with attended as (
    select person_id, event_id,
        sum(epoch(seg_end) - epoch(seg_start)) / 60.0 as minutes
    from audience_segments
    group by person_id, event_id
),
pairs as (
    select person_id, event_id, r.person_id is not null as is_registered, a.minutes
    from (select person_id, event_id from registrations) r
    full outer join attended a using (person_id, event_id)
)
select
    pairs.person_id, pairs.event_id,
    e.series,
    programme_date(e.starts_at) as event_date,
    e.starts_at,
    coalesce(p.country, 'unknown') as country,
    p.role,
    c.stage,
    pairs.is_registered,
    pairs.minutes   -- null: registered, did not attend
from pairs
join participants p using (person_id)
join events e using (event_id)
left join countries c on c.iso2 = p.country;

-- Audience segments with the pair's minutes and the person's attributes, for concurrency.
create or replace table segment_facts as
select s.event_id, s.person_id, s.seg_start, s.seg_end,
    pe.series, pe.event_date, pe.country, pe.role, pe.stage, pe.minutes
from audience_segments s
join person_event pe using (person_id, event_id);
