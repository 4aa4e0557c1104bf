-- Question: what was the peak concurrent audience of each selected webinar, over all persons?
-- Stored at load time (derive.sql, event_peaks); used when no person filter and no minimum
-- of minutes is set, since then the peak does not depend on the selection of persons.
-- Grain: one row per selected webinar, in order of start.
-- Parameters (null = all): $events varchar[], $series varchar[], $date_from date, $date_to date.
-- Columns: event_key, peak_concurrent (persons connected at one instant, at most).
select e.event_key, p.peak_concurrent
from selected_events($events, $series, $date_from, $date_to) e
join event_peaks p using (event_id)
order by e.slot
