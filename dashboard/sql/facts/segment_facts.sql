-- Audience segments with the person's attributes and the pair's minutes (and whether they are
-- known, for a minimum of minutes), for concurrency under person filters; times as whole
-- seconds from the webinar's start (times are kept to the second, so this is exact). For the
-- persons rebuilt.
select s.person_id, s.event_id, pf.event_key, pf.slot, pf.series, pf.event_date, pf.country, pf.role, pf.stage,
    pf.minutes,
    cast(epoch(s.seg_start) - epoch(e.starts_at) as integer) as start_offset_s,
    cast(epoch(s.seg_end) - epoch(e.starts_at) as integer) as end_offset_s,
    pf.is_rehearsal,
    pf.minutes_known
from audience_segments s
join pair_facts pf using (person_id, event_id)
join event_facts e using (event_id)
