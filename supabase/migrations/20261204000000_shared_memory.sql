-- Heal's shared pattern memory: what a team's Heal installations learn, shared through Supabase.
-- Every table has row-level security: a user sees and writes only the projects they belong to, either as a
-- row in project_members (keyed on auth.uid()) or through a `heal_project` claim in their JWT. anon gets nothing.
-- Counters change only inside the RPCs below, in one statement each, never read-modify-written by a client.

create extension if not exists pg_trgm with schema extensions;

create table public.projects (
  id text primary key check (id ~ '^[A-Za-z0-9._-]{1,64}$'),
  name text,
  created_at timestamptz not null default now()
);

create table public.project_members (
  project_id text not null references public.projects (id) on delete cascade,
  user_id uuid not null,
  role text not null default 'member' check (role in ('member', 'maintainer')),
  primary key (project_id, user_id)
);
create index project_members_user on public.project_members (user_id);

-- Invoker rights: project_members' own policy lets a user see their memberships, which is all this needs.
create function public.heal_is_member(p_project text) returns boolean
language sql stable security invoker set search_path = '' as $$
  select coalesce(auth.jwt() ->> 'heal_project' = p_project, false)
      or exists (select 1 from public.project_members m where m.project_id = p_project and m.user_id = auth.uid())
$$;

create table public.error_patterns (
  project_id text not null references public.projects (id) on delete cascade,
  fingerprint text not null check (fingerprint ~ '^[0-9a-f]{16}$'),
  coarse_fingerprint text not null check (coarse_fingerprint ~ '^[0-9a-f]{16}$'),
  tool text not null check (length(tool) between 1 and 64),
  tool_family text not null check (length(tool_family) between 1 and 64),
  category text not null check (length(category) between 1 and 64),
  message text not null check (length(message) <= 4000),
  example text check (length(example) <= 4000),
  fixes jsonb not null default '[]' check (jsonb_typeof(fixes) = 'array'),
  confidence real not null default 0 check (confidence between 0 and 1),
  success_count integer not null default 0 check (success_count >= 0),
  failure_count integer not null default 0 check (failure_count >= 0),
  occurrence_count bigint not null default 0 check (occurrence_count >= 0),
  quarantined boolean not null default false,
  first_seen timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  primary key (project_id, fingerprint)
);
-- top_patterns; match_patterns (trigram, within a tool family); grouping by kind of error.
create index error_patterns_top on public.error_patterns (project_id, occurrence_count desc);
-- GiST, not GIN: tier 2 asks for the k nearest messages (KNN by trigram distance), which only GiST can order by.
create index error_patterns_message_trgm on public.error_patterns using gist (message extensions.gist_trgm_ops);
create index error_patterns_family on public.error_patterns (project_id, tool_family);
create index error_patterns_coarse on public.error_patterns (project_id, coarse_fingerprint);

-- One row per accepted write (record_occurrence, record_causes): a replay with the same key changes nothing.
create table public.write_receipts (
  project_id text not null references public.projects (id) on delete cascade,
  idempotency_key text not null check (length(idempotency_key) between 8 and 128),
  created_at timestamptz not null default now(),
  primary key (project_id, idempotency_key)
);

create table public.fix_outcomes (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique check (length(idempotency_key) between 8 and 128),
  project_id text not null,
  fingerprint text not null,
  fix_id text not null,
  outcome text not null check (outcome in ('verified', 'reverted', 'failed')),
  duration_ms integer check (duration_ms >= 0),
  created_at timestamptz not null default now(),
  foreign key (project_id, fingerprint) references public.error_patterns (project_id, fingerprint) on delete cascade
);
create index fix_outcomes_pattern on public.fix_outcomes (project_id, fingerprint, created_at desc);

create table public.causality_edges (
  project_id text not null references public.projects (id) on delete cascade,
  cause text not null check (cause ~ '^[0-9a-f]{16}$'),
  effect text not null check (effect ~ '^[0-9a-f]{16}$'),
  count bigint not null default 0,
  last_seen timestamptz not null default now(),
  primary key (project_id, cause, effect)
);
create index causality_edges_effect on public.causality_edges (project_id, effect);

create table public.healing_config (
  project_id text primary key references public.projects (id) on delete cascade,
  breaker_state text not null default 'closed' check (breaker_state in ('closed', 'open', 'half_open')),
  breaker_reverts timestamptz[] not null default '{}',
  breaker_opened_at timestamptz,
  daily_cost_limit integer not null default 5000 check (daily_cost_limit >= 0),
  updated_at timestamptz not null default now()
);

create table public.daily_costs (
  project_id text not null references public.projects (id) on delete cascade,
  day date not null,
  kind text not null check (kind in ('occurrence', 'outcome', 'match', 'top', 'breaker')),
  calls bigint not null default 0,
  primary key (project_id, day, kind)
);

-- Diagnostic reports: insert-only for the reporter. Their status lives in report_status, which a maintainer
-- (service role) updates and the reporter may read.
create table public.diagnostic_reports (
  id uuid primary key,
  reporter uuid not null default auth.uid(),
  body jsonb not null check (jsonb_typeof(body) = 'object' and octet_length(body::text) <= 65536),
  created_at timestamptz not null default now()
);

create table public.report_status (
  report_id uuid primary key references public.diagnostic_reports (id) on delete cascade,
  reporter uuid not null,
  status text not null default 'open' check (status in ('open', 'resolved')),
  note text check (length(note) <= 2000),
  updated_at timestamptz not null default now()
);
create index report_status_reporter on public.report_status (reporter);

-- Definer rights: the reporter may not write report_status themselves, yet each report needs its status row.
create function public.heal_open_report_status() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.report_status (report_id, reporter) values (new.id, new.reporter);
  return new;
end $$;
create trigger diagnostic_reports_status after insert on public.diagnostic_reports
  for each row execute function public.heal_open_report_status();

-- Row-level security everywhere.
alter table public.projects enable row level security;
alter table public.project_members enable row level security;
alter table public.error_patterns enable row level security;
alter table public.write_receipts enable row level security;
alter table public.fix_outcomes enable row level security;
alter table public.causality_edges enable row level security;
alter table public.healing_config enable row level security;
alter table public.daily_costs enable row level security;
alter table public.diagnostic_reports enable row level security;
alter table public.report_status enable row level security;

revoke all on all tables in schema public from anon;

create policy projects_member_read on public.projects for select to authenticated using (public.heal_is_member(id));
create policy members_own_read on public.project_members for select to authenticated using (user_id = auth.uid());

create policy patterns_member_read on public.error_patterns for select to authenticated using (public.heal_is_member(project_id));
create policy patterns_member_insert on public.error_patterns for insert to authenticated with check (public.heal_is_member(project_id));
create policy patterns_member_update on public.error_patterns for update to authenticated
  using (public.heal_is_member(project_id)) with check (public.heal_is_member(project_id));

create policy write_receipts_member_read on public.write_receipts for select to authenticated using (public.heal_is_member(project_id));
create policy write_receipts_member_insert on public.write_receipts for insert to authenticated with check (public.heal_is_member(project_id));

create policy outcomes_member_read on public.fix_outcomes for select to authenticated using (public.heal_is_member(project_id));
create policy outcomes_member_insert on public.fix_outcomes for insert to authenticated with check (public.heal_is_member(project_id));

create policy edges_member_read on public.causality_edges for select to authenticated using (public.heal_is_member(project_id));
create policy edges_member_insert on public.causality_edges for insert to authenticated with check (public.heal_is_member(project_id));
create policy edges_member_update on public.causality_edges for update to authenticated
  using (public.heal_is_member(project_id)) with check (public.heal_is_member(project_id));

create policy config_member_read on public.healing_config for select to authenticated using (public.heal_is_member(project_id));
create policy config_member_insert on public.healing_config for insert to authenticated with check (public.heal_is_member(project_id));
create policy config_member_update on public.healing_config for update to authenticated
  using (public.heal_is_member(project_id)) with check (public.heal_is_member(project_id));

create policy costs_member_read on public.daily_costs for select to authenticated using (public.heal_is_member(project_id));
create policy costs_member_insert on public.daily_costs for insert to authenticated with check (public.heal_is_member(project_id));
create policy costs_member_update on public.daily_costs for update to authenticated
  using (public.heal_is_member(project_id)) with check (public.heal_is_member(project_id));

create policy reports_reporter_insert on public.diagnostic_reports for insert to authenticated with check (reporter = auth.uid());
create policy report_status_reporter_read on public.report_status for select to authenticated using (reporter = auth.uid());

-- Grants: authenticated users get the statements the policies allow; deletes only through the service role.
revoke all on public.projects, public.project_members, public.error_patterns, public.write_receipts, public.fix_outcomes,
  public.causality_edges, public.healing_config, public.daily_costs, public.diagnostic_reports, public.report_status from authenticated;
grant select on public.projects, public.project_members to authenticated;
grant select, insert, update on public.error_patterns, public.causality_edges, public.healing_config, public.daily_costs to authenticated;
grant select, insert on public.write_receipts, public.fix_outcomes to authenticated;
grant insert on public.diagnostic_reports to authenticated;
grant select on public.report_status to authenticated;
grant all on all tables in schema public to service_role;

-- Counts one remote call of a kind for today (the team-wide cost history; the client enforces the limit).
create function public.heal_count_call(p_project text, p_kind text) returns void
language sql volatile security invoker set search_path = '' as $$
  insert into public.daily_costs as d (project_id, day, kind, calls) values (p_project, current_date, p_kind, 1)
  on conflict (project_id, day, kind) do update set calls = d.calls + 1
$$;

create function public.heal_require_member(p_project text) returns void
language plpgsql stable security invoker set search_path = '' as $$
begin
  if not public.heal_is_member(p_project) then
    raise exception 'not a member of project %', p_project using errcode = '42501';
  end if;
end $$;

-- One or more occurrences of one error, atomically; replaying the same idempotency key changes nothing.
-- Returns the pattern's occurrence count afterwards.
create function public.record_occurrence(
  p_project text, p_idempotency_key text, p_fingerprint text, p_coarse_fingerprint text, p_tool text,
  p_tool_family text, p_category text, p_message text, p_example text default null, p_count integer default 1,
  p_seen_at timestamptz default now()
) returns bigint
language plpgsql volatile security invoker set search_path = '' as $$
declare
  accepted boolean;
  total bigint;
begin
  perform public.heal_require_member(p_project);
  if p_count is null or p_count < 1 or p_count > 100000 then
    raise exception 'p_count must be between 1 and 100000' using errcode = '22023';
  end if;
  insert into public.write_receipts (project_id, idempotency_key) values (p_project, p_idempotency_key)
    on conflict do nothing;
  get diagnostics accepted = row_count;
  if not accepted then
    select occurrence_count into total from public.error_patterns where project_id = p_project and fingerprint = p_fingerprint;
    return coalesce(total, 0);
  end if;
  insert into public.error_patterns as e (project_id, fingerprint, coarse_fingerprint, tool, tool_family, category, message, example,
      occurrence_count, first_seen, last_seen)
    values (p_project, p_fingerprint, p_coarse_fingerprint, p_tool, p_tool_family, p_category, p_message, p_example, p_count, p_seen_at, p_seen_at)
    on conflict (project_id, fingerprint) do update
      set occurrence_count = e.occurrence_count + excluded.occurrence_count,
          first_seen = least(e.first_seen, excluded.first_seen),
          last_seen = greatest(e.last_seen, excluded.last_seen),
          example = coalesce(e.example, excluded.example)
    returning occurrence_count into total;
  perform public.heal_count_call(p_project, 'occurrence');
  return total;
end $$;

-- Wilson score lower bound (95 %) of the success rate, as the client computes it.
create function public.heal_wilson(p_successes integer, p_trials integer) returns real
language sql immutable set search_path = '' as $$
  select case when p_trials = 0 then 0::real else
    ((p + z2 / (2 * n) - 1.96 * sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n))::real end
  from (select p_successes::float8 / greatest(p_trials, 1) as p, p_trials::float8 as n, 1.96 * 1.96 as z2) v
$$;

-- The outcome of applying a fix, once per idempotency key: counts, confidence, the fix remembered when it
-- verified (newest first, at most five), quarantine after 3 failures with a success rate under 50 %.
create function public.record_outcome(
  p_project text, p_idempotency_key text, p_fingerprint text, p_fix jsonb, p_outcome text, p_duration_ms integer default null
) returns public.error_patterns
language plpgsql volatile security invoker set search_path = '' as $$
declare
  accepted boolean;
  result public.error_patterns;
begin
  perform public.heal_require_member(p_project);
  if p_outcome not in ('verified', 'reverted', 'failed') then
    raise exception 'p_outcome must be verified, reverted or failed' using errcode = '22023';
  end if;
  if jsonb_typeof(p_fix) <> 'object' or p_fix ->> 'id' is null then
    raise exception 'p_fix must be an object with an id' using errcode = '22023';
  end if;
  insert into public.fix_outcomes (idempotency_key, project_id, fingerprint, fix_id, outcome, duration_ms)
    values (p_idempotency_key, p_project, p_fingerprint, p_fix ->> 'id', p_outcome, p_duration_ms)
    on conflict (idempotency_key) do nothing;
  get diagnostics accepted = row_count;
  if accepted then
    update public.error_patterns e set
        success_count = e.success_count + (p_outcome = 'verified')::int,
        failure_count = e.failure_count + (p_outcome <> 'verified')::int,
        confidence = public.heal_wilson(e.success_count + (p_outcome = 'verified')::int, e.success_count + e.failure_count + 1),
        quarantined = e.quarantined or (e.failure_count + (p_outcome <> 'verified')::int >= 3
          and (e.success_count + (p_outcome = 'verified')::int)::float8 / (e.success_count + e.failure_count + 1) < 0.5),
        fixes = case when p_outcome = 'verified' then
          (select jsonb_agg(kept.f order by kept.ord) from (
             select p_fix as f, 0::bigint as ord
             union all
             select x.f, x.ord from jsonb_array_elements(e.fixes) with ordinality as x(f, ord)
               where x.f ->> 'id' is distinct from p_fix ->> 'id'
             order by ord limit 5) kept)
          else e.fixes end
      where e.project_id = p_project and e.fingerprint = p_fingerprint;
    perform public.heal_count_call(p_project, 'outcome');
  end if;
  select * into result from public.error_patterns where project_id = p_project and fingerprint = p_fingerprint;
  if not found then
    raise exception 'no pattern % in project %', p_fingerprint, p_project using errcode = 'P0002';
  end if;
  return result;
end $$;

-- Cause → effect edges learned from cascades, counted atomically, once per idempotency key.
create function public.record_causes(p_project text, p_idempotency_key text, p_edges jsonb) returns integer
language plpgsql volatile security invoker set search_path = '' as $$
declare
  accepted boolean;
  n integer;
begin
  perform public.heal_require_member(p_project);
  if jsonb_typeof(p_edges) <> 'array' then
    raise exception 'p_edges must be an array of {cause, effect, count}' using errcode = '22023';
  end if;
  insert into public.write_receipts (project_id, idempotency_key) values (p_project, p_idempotency_key) on conflict do nothing;
  get diagnostics accepted = row_count;
  if not accepted then
    return 0;
  end if;
  insert into public.causality_edges as c (project_id, cause, effect, count)
    select p_project, x ->> 'cause', x ->> 'effect', greatest(coalesce((x ->> 'count')::bigint, 1), 1)
    from jsonb_array_elements(p_edges) x
    on conflict (project_id, cause, effect) do update set count = c.count + excluded.count, last_seen = now();
  get diagnostics n = row_count;
  perform public.heal_count_call(p_project, 'occurrence');
  return n;
end $$;

-- Tier 2 on the server: the nearest remembered patterns of the same tool family by trigram distance (a KNN scan
-- of the GiST index stops after the first matches), then only those at least p_threshold similar.
create function public.match_patterns(p_project text, p_message text, p_tool_family text, p_limit integer default 5, p_threshold real default 0.3)
returns table (pattern public.error_patterns, similarity real)
language plpgsql volatile security invoker set search_path = '' as $$
begin
  perform public.heal_require_member(p_project);
  perform public.heal_count_call(p_project, 'match');
  return query
    select n.e, n.s from (
      select e, extensions.similarity(e.message, p_message) as s
      from public.error_patterns e
      where e.project_id = p_project and e.tool_family = p_tool_family and not e.quarantined and jsonb_array_length(e.fixes) > 0
      order by e.message operator(extensions.<->) p_message
      limit least(greatest(p_limit, 1), 50)
    ) n
    where n.s >= p_threshold
    order by n.s desc;
end $$;

-- The project's most frequent patterns, for warming a local cache.
create function public.top_patterns(p_project text, p_limit integer default 100) returns setof public.error_patterns
language plpgsql volatile security invoker set search_path = '' as $$
begin
  perform public.heal_require_member(p_project);
  perform public.heal_count_call(p_project, 'top');
  return query select * from public.error_patterns e where e.project_id = p_project
    order by e.occurrence_count desc, e.last_seen desc limit least(greatest(p_limit, 1), 500);
end $$;

-- The shared circuit breaker: 2 reverts within an hour open it for 30 minutes, then one trial (half-open).
create function public.breaker_get(p_project text) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  c public.healing_config;
begin
  perform public.heal_require_member(p_project);
  insert into public.healing_config (project_id) values (p_project) on conflict do nothing;
  select * into c from public.healing_config where project_id = p_project;
  return jsonb_build_object(
    'state', case when c.breaker_state = 'open' and c.breaker_opened_at + interval '30 minutes' <= now() then 'half_open' else c.breaker_state end,
    'reverts', (select count(*) from unnest(c.breaker_reverts) t where t > now() - interval '1 hour'),
    'opened_at', c.breaker_opened_at,
    'reopens_at', case when c.breaker_state = 'open' then c.breaker_opened_at + interval '30 minutes' end,
    'daily_cost_limit', c.daily_cost_limit);
end $$;

create function public.breaker_trip(p_project text) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  c public.healing_config;
  recent timestamptz[];
  half_open boolean;
begin
  perform public.heal_require_member(p_project);
  insert into public.healing_config (project_id) values (p_project) on conflict do nothing;
  -- Row lock: two reverts at once must both count.
  select * into c from public.healing_config where project_id = p_project for update;
  recent := array(select t from unnest(c.breaker_reverts) t where t > now() - interval '1 hour') || now();
  half_open := c.breaker_state = 'half_open' or (c.breaker_state = 'open' and c.breaker_opened_at + interval '30 minutes' <= now());
  update public.healing_config set
      breaker_reverts = recent,
      breaker_state = case when half_open or cardinality(recent) >= 2 then 'open' else breaker_state end,
      breaker_opened_at = case when half_open or (breaker_state = 'closed' and cardinality(recent) >= 2) then now() else breaker_opened_at end,
      updated_at = now()
    where project_id = p_project;
  perform public.heal_count_call(p_project, 'breaker');
  return public.breaker_get(p_project);
end $$;

create function public.breaker_reset(p_project text) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
begin
  perform public.heal_require_member(p_project);
  insert into public.healing_config (project_id) values (p_project) on conflict do nothing;
  update public.healing_config set breaker_state = 'closed', breaker_reverts = '{}', breaker_opened_at = null, updated_at = now()
    where project_id = p_project;
  perform public.heal_count_call(p_project, 'breaker');
  return public.breaker_get(p_project);
end $$;

-- Functions are executable by PUBLIC by default (and Supabase grants anon too): only members' roles may call them.
revoke all on all functions in schema public from anon, public;
grant execute on function public.heal_is_member(text), public.heal_require_member(text), public.heal_count_call(text, text),
  public.heal_wilson(integer, integer),
  public.record_occurrence(text, text, text, text, text, text, text, text, text, integer, timestamptz),
  public.record_outcome(text, text, text, jsonb, text, integer), public.record_causes(text, text, jsonb),
  public.match_patterns(text, text, text, integer, real), public.top_patterns(text, integer),
  public.breaker_get(text), public.breaker_trip(text), public.breaker_reset(text)
  to authenticated, service_role;
