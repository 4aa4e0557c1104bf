-- One row per (person, webinar) that is registered or attended, with the person's attributes;
-- for the persons rebuilt. Laid out by minute: a median reads only the pairs of one minute.
-- minutes: the length of the union of the pair's intervals, null when not attended. It is a
-- measurement only when minutes_known: at least one interval is not a check-in (docs/metrics.md);
-- a pair known only from check-ins is attended, but its minutes count in no total, median or
-- minimum above 0, and its whole_minute is null. sources: the bits of its intervals' sources
-- (filters.sql), 0 when not attended.
with attended as (
    select person_id, event_id, sum(epoch(seg_end) - epoch(seg_start)) / 60.0 as minutes,
        bit_or(sources) as sources, bool_or(is_timed) as minutes_known
    from audience_segments
    group by person_id, event_id
),
pairs as (
    select person_id, event_id, r.person_id is not null as is_registered, a.minutes, a.sources, a.minutes_known
    from (select distinct person_id, event_id from rebuild_registrations) r
    full outer join attended a using (person_id, event_id)
)
select
    pairs.person_id, pairs.event_id, e.event_key, e.slot, e.series, e.event_date,
    coalesce(p.country, 'unknown') as country, p.role, c.stage,
    pairs.is_registered,
    pairs.minutes,   -- null: registered, did not attend
    cast(floor(case when pairs.minutes_known then pairs.minutes end) as integer) as whole_minute,
    p.is_rehearsal,
    coalesce(pairs.minutes_known, false) as minutes_known,
    coalesce(pairs.sources, 0) as sources
from pairs
join participants p using (person_id)
join event_facts e using (event_id)
left join countries c on c.iso2 = p.country
