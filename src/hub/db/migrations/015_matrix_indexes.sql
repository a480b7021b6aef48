-- Indexes for the lead's matrix at council scale (tens of thousands of learners).
-- The first page, sorted by name, walks this index in order and stops after a page,
-- instead of sorting every confirmed learner on each request.
create index person_learner_name on person (lower(name), id) where kind = 'learner' and status = 'confirmed';
-- Filters by a learner's overall status and by role.
create index learner_progress_status on learner_progress (status);
create index learner_progress_role on learner_progress (role_id);
