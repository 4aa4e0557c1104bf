-- Question: what is the median time one participant spent at one webinar — per selected
-- webinar, and over all selected webinars together?
-- Exact, without sorting every pair: a histogram of pairs per whole minute locates the minute
-- holding the middle pair(s) (ranks (n+1)/2 and n/2+1, rounded down); only the pairs of that
-- minute are then sorted to read the exact values.
-- Grain: one row per selected webinar with attended pairs, plus one row with event_key null
-- for all selected webinars together.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double (an attendance shorter than this does not count).
-- Columns: event_key (null = all selected webinars), median_minutes (minutes).
with histogram as (
    select event_id, whole_minute, pairs
    from selected_minutes_histogram($countries, $roles, $events, $series, $date_from, $date_to, $stages)
    where $min_minutes is null
    union all
    select event_id, whole_minute, count(*)
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
    where $min_minutes is not null and is_attended
    group by all
),
scoped as (  -- scope: an event_id, or -1 for all selected webinars together
    select event_id as scope, whole_minute, sum(pairs) as pairs from histogram group by all
    union all
    select -1, whole_minute, sum(pairs) from histogram group by whole_minute
),
cumulative as (
    select scope, whole_minute, pairs,
        sum(pairs) over (partition by scope order by whole_minute rows unbounded preceding) as up_to,
        sum(pairs) over (partition by scope) as n
    from scoped
),
targets as (  -- the middle rank k, the minute holding it and its rank within that minute
    select c.scope, t.k, c.whole_minute, t.k - (c.up_to - c.pairs) as rank_in_minute
    from cumulative c, unnest([(c.n + 1) // 2, c.n // 2 + 1]) as t(k)
    where t.k > c.up_to - c.pairs and t.k <= c.up_to
),
candidates as (  -- the pairs of the target minutes only (pair_facts is ordered by minute)
    select event_id, minutes, whole_minute
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
    where is_attended and whole_minute in (select whole_minute from targets)
),
exact_values as (  -- each distinct value in a target minute, per scope, with how many pairs have it
    select -1 as scope, whole_minute, minutes, count(*) as pairs from candidates group by all
    union all
    select event_id, whole_minute, minutes, count(*) from candidates group by all
),
ranked as (
    select v.*, sum(v.pairs) over (partition by v.scope, v.whole_minute order by v.minutes
                                   rows unbounded preceding) as up_to
    from exact_values v
    semi join targets t on t.scope = v.scope and t.whole_minute = v.whole_minute
),
picked as (  -- the value holding the target rank within its minute
    select t.scope, t.k, r.minutes
    from targets t
    join ranked r on r.scope = t.scope and r.whole_minute = t.whole_minute
    where t.rank_in_minute > r.up_to - r.pairs and t.rank_in_minute <= r.up_to
)
select e.event_key, avg(p.minutes) as median_minutes
from picked p
left join event_facts e on e.event_id = p.scope
group by p.scope, e.event_key
order by p.scope
