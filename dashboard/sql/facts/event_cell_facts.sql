-- Pair counts per (webinar, country, role): within one webinar a person is one pair, so these
-- add up over countries and roles. minutes_total sums known minutes only (docs/metrics.md:
-- check-ins measure no length); sources is the bit_or of the pairs' sources (filters.sql).
-- stayed_half counts participants whose known minutes reach half the planned length (0 when
-- none is planned: the funnel shows null then); came_back counts participants who attended a
-- later webinar of the programme (person_facts.last_slot; retention's funnel).
-- Rehearsal persons are left out (figures that include them are computed from pair_facts).
-- Everyone's, or only the pairs of the persons rebuilt: a catch-up subtracts their old counts
-- and adds their new ones (database.catch_up). Reads person_facts of the same rebuild.
select p.event_id, p.event_key, p.slot, p.series, p.event_date, p.country, p.role, p.stage,
    count(*) filter (where p.is_registered) as registrants,
    count(*) filter (where p.minutes is not null) as participants,
    count(*) filter (where p.is_registered and p.minutes is not null) as registered_attended,
    coalesce(sum(p.minutes) filter (where p.minutes_known), 0) as minutes_total,
    cast(bit_or(p.sources) as integer) as sources,
    count(*) filter (where p.minutes_known and p.minutes >= e.planned_minutes / 2.0) as stayed_half,
    count(*) filter (where p.minutes is not null and f.last_slot > p.slot) as came_back
from pair_facts p
join (select * from person_facts where $everyone or person_id in (select person_id from rebuild_persons)) f
    using (person_id)
join events e using (event_id)
where not p.is_rehearsal
  and ($everyone or p.person_id in (select person_id from rebuild_persons))
group by p.event_id, p.event_key, p.slot, p.series, p.event_date, p.country, p.role, p.stage
