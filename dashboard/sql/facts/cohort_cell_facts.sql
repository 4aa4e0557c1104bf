-- Participants per (webinar, country, role, first webinar attended): first_slot is the slot of
-- the person's first attended webinar of the whole programme, so the cohort table of all
-- webinars is a sum of these cells (queries/retention_cohorts.sql); a person is one pair per
-- webinar, so they add up over countries, roles and cohorts. Rehearsal persons are left out.
-- Kept apart from event_cell_facts so the overview's per-webinar reads stay small.
-- Everyone's, or only the pairs of the persons rebuilt (counted by difference, as
-- event_cell_facts). Reads person_facts of the same rebuild.
select p.event_id, p.event_key, p.slot, p.series, p.event_date, p.country, p.role, p.stage, f.first_slot,
    count(*) as participants
from pair_facts p
join (select * from person_facts where $everyone or person_id in (select person_id from rebuild_persons)) f
    using (person_id)
where not p.is_rehearsal and p.minutes is not null
  and ($everyone or p.person_id in (select person_id from rebuild_persons))
group by p.event_id, p.event_key, p.slot, p.series, p.event_date, p.country, p.role, p.stage, f.first_slot
