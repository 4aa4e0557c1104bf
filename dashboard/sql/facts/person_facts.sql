-- One row per person with a registration or an attendance: which webinars (by slot) they
-- attended and registered for, as bitstrings. Distinct persons of any webinar selection are
-- then one scan of this table; for all webinars (the usual view) the counts are stored too, and
-- the first and last webinar attended (retention: cohorts, came back; event_cell_facts).
select person_id, any_value(country) as country, any_value(role) as role, any_value(stage) as stage,
    count(*) filter (where minutes is not null) as n_attended,
    bool_or(is_registered) as is_registrant,
    min(slot) filter (where minutes is not null) as first_slot,
    max(slot) filter (where minutes is not null) as last_slot,
    coalesce(bitstring_agg(slot, 0, $max_slot) filter (where minutes is not null),
             bitstring('0', $max_slot + 1)) as attended,
    coalesce(bitstring_agg(slot, 0, $max_slot) filter (where is_registered),
             bitstring('0', $max_slot + 1)) as registered,
    any_value(is_rehearsal) as is_rehearsal
from pair_facts
where $everyone or person_id in (select person_id from rebuild_persons)
group by person_id
