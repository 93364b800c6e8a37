-- The read-only analytics schema: views a BI tool (Metabase, Superset, FineBI, Power BI's
-- PostgreSQL connector) reads with the role of `manage.py create_analytics_role`.
-- Recreated from this file after every `manage.py migrate` (analytics.schema): change it in
-- the same commit as a model whose columns it reads. Statements are separated by a line of
-- two dashes and two semicolons. Names are the product's words; ids are the API's ids, so both can be joined.
-- SITE_TODAY is the date in the site's time zone (settings.TIME_ZONE), as the pages count it,
-- whatever the reading session's own time zone: analytics.schema writes it in.

CREATE VIEW analytics.metric_values AS
SELECT
    v.id AS metric_value_id,
    v.date,
    v.value,
    v.source,
    v.recorded_at,
    m.id AS metric_id,
    m.code AS metric_code,
    m.name_en AS metric_name_en,
    m.name_zh AS metric_name_zh,
    m.unit AS metric_unit,
    m.aggregation AS metric_aggregation,
    m.direction AS metric_direction,
    m.is_cost AS metric_is_cost,
    p.id AS plan_id,
    p.year AS plan_year,
    p.title AS plan_title,
    c.id AS campaign_id,
    c.name AS campaign_name,
    ch.id AS channel_id,
    ch.code AS channel_code,
    ch.name_en AS channel_name_en,
    ch.name_zh AS channel_name_zh,
    parent.code AS parent_channel_code
FROM plans_metricvalue v
JOIN plans_metric m ON m.id = v.metric_id
JOIN plans_annualplan p ON p.id = v.plan_id
LEFT JOIN plans_campaign c ON c.id = v.campaign_id
LEFT JOIN plans_channel ch ON ch.id = v.channel_id
LEFT JOIN plans_channel parent ON parent.id = ch.parent_id;
-- ;;
COMMENT ON VIEW analytics.metric_values IS
'Every recorded actual (one row per metric, campaign or plan, channel and day), with the names of its metric, plan, campaign and channel. campaign_id is NULL for a plan-level value, channel_id for a total.';
-- ;;
CREATE VIEW analytics.target_attainment_daily AS
SELECT
    t.id AS target_id,
    COALESCE(t.plan_id, c.plan_id) AS plan_id,
    t.campaign_id,
    c.name AS campaign_name,
    t.parent_id AS parent_target_id,
    COALESCE(NULLIF(t.name, ''), m.name_en) AS target_name,
    t.category AS target_category,
    m.id AS metric_id,
    m.code AS metric_code,
    m.name_en AS metric_name_en,
    m.name_zh AS metric_name_zh,
    m.aggregation AS metric_aggregation,
    m.direction AS metric_direction,
    ch.code AS channel_code,
    t.period_start,
    t.period_end,
    d.day,
    t.target_value,
    figures.day_value,
    actual.value AS actual_to_date,
    round(actual.value / NULLIF(t.target_value, 0) * 100, 1) AS attainment_percent
FROM plans_target t
JOIN plans_metric m ON m.id = t.metric_id
LEFT JOIN plans_campaign c ON c.id = t.campaign_id
LEFT JOIN plans_channel ch ON ch.id = t.channel_id
CROSS JOIN LATERAL (
    SELECT g::date AS day FROM generate_series(t.period_start, LEAST(t.period_end, SITE_TODAY), interval '1 day') AS g
) d
-- The values that count towards the target up to the day: same metric (a derived metric: its
-- two components), same campaign (a plan target: anywhere in the plan), inside the period, on
-- the target's channel if it has one (as plans.selectors._values_in_scope_of_target).
LEFT JOIN LATERAL (
    SELECT
        sum(v.value) FILTER (WHERE v.metric_id = m.id) AS total,
        avg(v.value) FILTER (WHERE v.metric_id = m.id) AS mean,
        sum(v.value) FILTER (WHERE v.metric_id = m.numerator_id) AS numerator,
        sum(v.value) FILTER (WHERE v.metric_id = m.denominator_id) AS denominator,
        sum(v.value) FILTER (WHERE v.metric_id = m.id AND v.date = d.day) AS day_value
    FROM plans_metricvalue v
    WHERE (v.campaign_id = t.campaign_id OR v.plan_id = t.plan_id)
      AND v.metric_id IN (m.id, m.numerator_id, m.denominator_id)
      AND v.date BETWEEN t.period_start AND d.day
      AND (t.channel_id IS NULL OR v.channel_id = t.channel_id)
) figures ON true
-- A "last value" metric: the latest day's value; a total (no channel) wins over a channel's.
LEFT JOIN LATERAL (
    SELECT v.value
    FROM plans_metricvalue v
    WHERE m.aggregation = 'last'
      AND (v.campaign_id = t.campaign_id OR v.plan_id = t.plan_id)
      AND v.metric_id = m.id
      AND v.date BETWEEN t.period_start AND d.day
      AND (t.channel_id IS NULL OR v.channel_id = t.channel_id)
    ORDER BY v.date DESC, v.channel_id ASC NULLS FIRST, v.recorded_at DESC
    LIMIT 1
) latest ON true
CROSS JOIN LATERAL (
    SELECT CASE m.aggregation
        WHEN 'sum' THEN figures.total
        WHEN 'average' THEN figures.mean
        WHEN 'ratio' THEN figures.numerator * (CASE WHEN m.unit = 'percent' THEN 100 ELSE 1 END)
                          / NULLIF(figures.denominator, 0)
        ELSE latest.value
    END AS value
) actual;
-- ;;
COMMENT ON VIEW analytics.target_attainment_daily IS
'One row per target (plan target, campaign goal, sub-goal) and day of its period up to today. actual_to_date aggregates the values in the target''s scope from the period''s start to that day as its metric says (sum, average, last value, or a derived metric''s numerator over denominator); attainment_percent = actual_to_date / target_value x 100, the product''s rule for every metric: metric_direction says whether above 100 is good (higher) or bad (lower, e.g. cost). day_value is that day''s own recorded total. Pace and status are in the API''s facts endpoint.';
-- ;;
CREATE VIEW analytics.tasks AS
SELECT
    t.id AS task_id,
    t.name AS task_name,
    t.status,
    t.progress,
    t.start_date,
    t.due_date,
    (t.due_date < SITE_TODAY AND t.status <> 'done') AS is_overdue,
    c.plan_id,
    t.campaign_id,
    c.name AS campaign_name,
    s.id AS stage_id,
    s.name_en AS stage_name_en,
    s.name_zh AS stage_name_zh,
    t.milestone_id,
    r.id AS responsible_id,
    COALESCE(NULLIF(r.name, ''), r.username) AS responsible_name,
    rd.name AS responsible_department,
    a.id AS accountable_id,
    COALESCE(NULLIF(a.name, ''), a.username) AS accountable_name,
    t.budget_amount,
    t.created_at,
    t.updated_at
FROM tasks_task t
JOIN plans_campaign c ON c.id = t.campaign_id
JOIN tasks_stage s ON s.id = t.stage_id
JOIN accounts_user r ON r.id = t.responsible_id
LEFT JOIN accounts_department rd ON rd.id = r.department_id
JOIN accounts_user a ON a.id = t.accountable_id;
-- ;;
COMMENT ON VIEW analytics.tasks IS
'Every task of the RACI matrix with its Responsible (R) and Accountable (A) by name, its stage and its status (not_started, in_progress, done, blocked); is_overdue = due date passed and not done. Names only: no e-mail or phone.';
-- ;;
CREATE VIEW analytics.alerts AS
SELECT
    al.id AS alert_id,
    al.state,
    al.severity,
    th.id AS threshold_id,
    th.kind AS threshold_kind,
    COALESCE(al.campaign_id, tt.campaign_id) AS campaign_id,
    c.name AS campaign_name,
    COALESCE(c.plan_id, th.plan_id, tt.plan_id) AS plan_id,
    al.target_id,
    al.summary,
    al.observed,
    al.expected,
    al.opened_at,
    al.acknowledged_at,
    al.escalated_at,
    al.resolved_at,
    al.issue_id,
    al.updated_at
FROM tracking_alert al
JOIN tracking_threshold th ON th.id = al.threshold_id
LEFT JOIN plans_target tt ON tt.id = al.target_id
LEFT JOIN plans_campaign c ON c.id = COALESCE(al.campaign_id, tt.campaign_id);
-- ;;
COMMENT ON VIEW analytics.alerts IS
'Every alert a warning threshold raised: state (open, acknowledged, resolved, auto-resolved), severity, what was observed against what was expected, and when it was opened, acknowledged, escalated and resolved.';
-- ;;
CREATE VIEW analytics.issues AS
SELECT
    i.id AS issue_id,
    i.state,
    i.severity,
    i.description,
    i.occurred_at,
    i.deadline,
    (i.deadline < SITE_TODAY AND i.state <> 'resolved') AS is_overdue,
    c.plan_id,
    i.campaign_id,
    c.name AS campaign_name,
    d.name AS department,
    o.id AS owner_id,
    COALESCE(NULLIF(o.name, ''), o.username) AS owner_name,
    i.temporary_measure,
    i.root_cause,
    i.long_term_solution,
    i.resolved_at,
    i.created_at,
    i.updated_at
FROM tracking_issue i
JOIN plans_campaign c ON c.id = i.campaign_id
LEFT JOIN accounts_department d ON d.id = i.department_id
LEFT JOIN accounts_user o ON o.id = i.owner_id;
-- ;;
COMMENT ON VIEW analytics.issues IS
'The issue register (form 3): description, when it occurred, the responsible department and owner, measures, root cause, deadline and state (open, mitigated, resolved).';
