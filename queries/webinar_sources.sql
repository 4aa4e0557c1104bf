-- Question: where do each selected webinar's figures come from — an imported platform file, an
-- API pull, the live feed, check-ins, only registrations, or nothing yet (docs/metrics.md, Source)?
-- Read from the stored cells (the bits of each pair's sources, or-ed per cell), so it costs one
-- small grouped read. It describes the webinar, not the selection: person filters and a minimum
-- of minutes do not change it, and rehearsal persons never count (the cells hold none).
-- Grain: one row per selected webinar, in order of start.
-- Parameters (null = all): $events varchar[], $series varchar[], $date_from date, $date_to date,
--   $rehearsals boolean (list rehearsal webinars too; their rehearsal data is still no source).
-- Columns: event_key, sources (varchar[], in this order: 'zoom', 'webex', 'mts-link', 'bbb'
--   (BigBlueButton), 'sheet' (an attendance sheet), 'file' (another imported file), 'mts-link-api',
--   'live' (live joins other than check-ins), 'checkin'; or only 'registrations' (registrations, no
--   attendance), or only 'planned' (nothing yet)).
with per_webinar as (
    select event_id, bit_or(sources) as bits, sum(registrants) > 0 as has_registrations
    from event_cell_facts
    group by event_id
)
select e.event_key, source_names(coalesce(w.bits, 0), coalesce(w.has_registrations, false)) as sources
from selected_events($events, $series, $date_from, $date_to, $rehearsals) e
left join per_webinar w using (event_id)
order by e.slot
