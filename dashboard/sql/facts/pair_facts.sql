-- One row per (person, webinar) that is registered or attended, with the person's attributes;
-- for the persons rebuilt. Laid out by minute: a median reads only the pairs of one minute.
with attended as (
    select person_id, event_id, sum(epoch(seg_end) - epoch(seg_start)) / 60.0 as minutes
    from audience_segments
    group by person_id, event_id
),
pairs as (
    select person_id, event_id, r.person_id is not null as is_registered, a.minutes
    from (select distinct person_id, event_id from rebuild_registrations) r
    full outer join attended a using (person_id, event_id)
)
select
    pairs.person_id, pairs.event_id, e.event_key, e.slot, e.series, e.event_date,
    coalesce(p.country, 'unknown') as country, p.role, c.stage,
    pairs.is_registered,
    pairs.minutes,   -- null: registered, did not attend
    cast(floor(pairs.minutes) as integer) as whole_minute,
    p.is_rehearsal
from pairs
join participants p using (person_id)
join event_facts e using (event_id)
left join countries c on c.iso2 = p.country
