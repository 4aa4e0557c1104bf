-- Pair counts per (webinar, country, role): within one webinar a person is one pair, so these
-- add up over countries and roles. Rehearsal persons are left out (figures that include them
-- are computed from pair_facts). For the cells rebuilt.
select event_id, event_key, slot, series, event_date, country, role, stage,
    count(*) filter (where is_registered) as registrants,
    count(*) filter (where minutes is not null) as participants,
    count(*) filter (where is_registered and minutes is not null) as registered_attended,
    coalesce(sum(minutes), 0) as minutes_total
from pair_facts
where not is_rehearsal
  and ($everyone or (event_id, country, role) in (select (event_id, country, role) from rebuild_cells))
group by all
