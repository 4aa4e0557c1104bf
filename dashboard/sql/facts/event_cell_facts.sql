-- Pair counts per (webinar, country, role): within one webinar a person is one pair, so these
-- add up over countries and roles. minutes_total sums known minutes only (docs/metrics.md:
-- check-ins measure no length); sources is the bit_or of the pairs' sources (filters.sql).
-- Rehearsal persons are left out (figures that include them are computed from pair_facts).
-- For the cells rebuilt.
select event_id, event_key, slot, series, event_date, country, role, stage,
    count(*) filter (where is_registered) as registrants,
    count(*) filter (where minutes is not null) as participants,
    count(*) filter (where is_registered and minutes is not null) as registered_attended,
    coalesce(sum(minutes) filter (where minutes_known), 0) as minutes_total,
    cast(bit_or(sources) as integer) as sources
from pair_facts
where not is_rehearsal
  and ($everyone or (event_id, country, role) in (select (event_id, country, role) from rebuild_cells))
group by all
