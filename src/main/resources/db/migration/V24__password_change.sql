-- After an administrator resets a password, the account may only choose a new one (issue 12).
alter table app_user add column must_change_password boolean not null default false;
