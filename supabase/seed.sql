-- Local development data (`supabase db reset` loads it after the migrations): one project to join.
-- Add yourself with: insert into public.project_members (project_id, user_id) values ('demo', '<your auth user id>');
insert into public.projects (id, name) values ('demo', 'Demo project') on conflict do nothing;
