"""initial schema

Revision ID: c095c6c8ac15
Revises: 
Created: 2026-11-24 06:16:00.759330
"""

from alembic import op
import sqlalchemy as sa


revision = 'c095c6c8ac15'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_meta',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_content_meta'))
    )
    op.create_table('lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('reading_minutes', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons')),
    sa.UniqueConstraint('slug', name=op.f('uq_lessons_slug'))
    )
    op.create_table('muscles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('group', sa.String(length=12), nullable=False),
    sa.Column('region', sa.String(length=8), nullable=False),
    sa.Column('depth', sa.String(length=8), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_muscles')),
    sa.UniqueConstraint('slug', name=op.f('uq_muscles_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('client', 'trainer')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['trainer_id'], ['users.id'], name=op.f('fk_users_trainer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('exercises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=5), nullable=False),
    sa.Column('position', sa.String(length=20), nullable=False),
    sa.Column('equipment', sa.JSON(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('per_side', sa.Boolean(), nullable=False),
    sa.Column('tempo', sa.Text(), nullable=False),
    sa.Column('cue', sa.String(length=120), nullable=False),
    sa.Column('easier_slug', sa.String(length=80), nullable=False),
    sa.Column('harder_slug', sa.String(length=80), nullable=False),
    sa.Column('illustration', sa.String(length=255), nullable=False),
    sa.Column('illustration_alt', sa.Text(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=False),
    sa.Column('hold_seconds', sa.Integer(), nullable=False),
    sa.Column('rest_seconds', sa.Integer(), nullable=False),
    sa.Column('rep_seconds', sa.Integer(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_exercises_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercises')),
    sa.UniqueConstraint('slug', name=op.f('uq_exercises_slug'))
    )
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercises_owner_id'), ['owner_id'], unique=False)

    op.create_table('function_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_function_activities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_function_activities'))
    )
    with op.batch_alter_table('function_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_function_activities_user_id'), ['user_id'], unique=False)

    op.create_table('invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['trainer_id'], ['users.id'], name=op.f('fk_invites_trainer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_id'], ['users.id'], name=op.f('fk_invites_used_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invites')),
    sa.UniqueConstraint('nonce', name=op.f('uq_invites_nonce'))
    )
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invites_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('preferred_days', sa.String(length=40), nullable=False),
    sa.Column('preferred_time', sa.String(length=5), nullable=False),
    sa.Column('onboarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('calendar_token', sa.String(length=48), nullable=False),
    sa.Column('trainer_note', sa.Text(), nullable=False),
    sa.Column('trainer_note_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('trainer_note_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_profiles'))
    )
    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('minutes_per_session', sa.Integer(), nullable=False),
    sa.Column('sessions_per_week', sa.Integer(), nullable=False),
    sa.Column('progression', sa.Text(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('source_hash', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_programs_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
    sa.UniqueConstraint('family', 'version', name=op.f('uq_programs_family_version'))
    )
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programs_family'), ['family'], unique=False)
        batch_op.create_index(batch_op.f('ix_programs_owner_id'), ['owner_id'], unique=False)

    op.create_table('red_flag_screens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_red_flag_screens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_red_flag_screens'))
    )
    with op.batch_alter_table('red_flag_screens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_red_flag_screens_user_id'), ['user_id'], unique=False)

    op.create_table('trainer_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], name=op.f('fk_trainer_comments_client_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trainer_id'], ['users.id'], name=op.f('fk_trainer_comments_trainer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_comments'))
    )
    with op.batch_alter_table('trainer_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_comments_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainer_comments_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_assignments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], name=op.f('fk_assignments_client_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_assignments_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_program_id'), ['program_id'], unique=False)

    op.create_table('exercise_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('mimetype', sa.String(length=40), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_exercise_images_exercise_id_exercises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_images')),
    sa.UniqueConstraint('exercise_id', name=op.f('uq_exercise_images_exercise_id'))
    )
    op.create_table('exercise_muscles',
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('muscle_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_exercise_muscles_exercise_id_exercises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['muscle_id'], ['muscles.id'], name=op.f('fk_exercise_muscles_muscle_id_muscles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('exercise_id', 'muscle_id', name=op.f('pk_exercise_muscles'))
    )
    op.create_table('function_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 10', name=op.f('ck_function_ratings_score')),
    sa.ForeignKeyConstraint(['activity_id'], ['function_activities.id'], name=op.f('fk_function_ratings_activity_id_function_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_function_ratings'))
    )
    with op.batch_alter_table('function_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_function_ratings_activity_id'), ['activity_id'], unique=False)

    op.create_table('program_weeks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('focus', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_weeks_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_weeks')),
    sa.UniqueConstraint('program_id', 'number', name=op.f('uq_program_weeks_program_id_number'))
    )
    op.create_table('routines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('days', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_routines_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['week_id'], ['program_weeks.id'], name=op.f('fk_routines_week_id_program_weeks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routines'))
    )
    with op.batch_alter_table('routines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routines_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_routines_week_id'), ['week_id'], unique=False)

    op.create_table('completed_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('routine_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('pain_before', sa.Integer(), nullable=False),
    sa.Column('pain_after', sa.Integer(), nullable=False),
    sa.Column('effort', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('effort BETWEEN 0 AND 10', name=op.f('ck_completed_sessions_effort')),
    sa.CheckConstraint('pain_after BETWEEN 0 AND 10', name=op.f('ck_completed_sessions_pain_after')),
    sa.CheckConstraint('pain_before BETWEEN 0 AND 10', name=op.f('ck_completed_sessions_pain_before')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_completed_sessions_program_id_programs')),
    sa.ForeignKeyConstraint(['routine_id'], ['routines.id'], name=op.f('fk_completed_sessions_routine_id_routines')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_completed_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completed_sessions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_completed_sessions_uuid'))
    )
    with op.batch_alter_table('completed_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completed_sessions_completed_at'), ['completed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_completed_sessions_local_date'), ['local_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_completed_sessions_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completed_sessions_routine_id'), ['routine_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completed_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('routine_exercises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('routine_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=False),
    sa.Column('hold_seconds', sa.Integer(), nullable=False),
    sa.Column('rest_seconds', sa.Integer(), nullable=False),
    sa.Column('tempo', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_routine_exercises_exercise_id_exercises'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['routine_id'], ['routines.id'], name=op.f('fk_routine_exercises_routine_id_routines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routine_exercises'))
    )
    with op.batch_alter_table('routine_exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routine_exercises_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_routine_exercises_routine_id'), ['routine_id'], unique=False)

    op.create_table('check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('pain', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('pain BETWEEN 0 AND 10', name=op.f('ck_check_ins_pain')),
    sa.ForeignKeyConstraint(['session_id'], ['completed_sessions.id'], name=op.f('fk_check_ins_session_id_completed_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_check_ins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins'))
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_ins_user_id'), ['user_id'], unique=False)

    op.create_table('session_exercises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('sets_done', sa.Integer(), nullable=False),
    sa.Column('reps_done', sa.Integer(), nullable=False),
    sa.Column('hold_seconds', sa.Integer(), nullable=False),
    sa.Column('painful', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_session_exercises_exercise_id_exercises')),
    sa.ForeignKeyConstraint(['session_id'], ['completed_sessions.id'], name=op.f('fk_session_exercises_session_id_completed_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_exercises'))
    )
    with op.batch_alter_table('session_exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_exercises_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_exercises_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('session_exercises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_exercises_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_exercises_exercise_id'))

    op.drop_table('session_exercises')
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_ins_user_id'))

    op.drop_table('check_ins')
    with op.batch_alter_table('routine_exercises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routine_exercises_routine_id'))
        batch_op.drop_index(batch_op.f('ix_routine_exercises_exercise_id'))

    op.drop_table('routine_exercises')
    with op.batch_alter_table('completed_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completed_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_completed_sessions_routine_id'))
        batch_op.drop_index(batch_op.f('ix_completed_sessions_program_id'))
        batch_op.drop_index(batch_op.f('ix_completed_sessions_local_date'))
        batch_op.drop_index(batch_op.f('ix_completed_sessions_completed_at'))

    op.drop_table('completed_sessions')
    with op.batch_alter_table('routines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routines_week_id'))
        batch_op.drop_index(batch_op.f('ix_routines_program_id'))

    op.drop_table('routines')
    op.drop_table('program_weeks')
    with op.batch_alter_table('function_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_function_ratings_activity_id'))

    op.drop_table('function_ratings')
    op.drop_table('exercise_muscles')
    op.drop_table('exercise_images')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_program_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_client_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('trainer_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_comments_trainer_id'))
        batch_op.drop_index(batch_op.f('ix_trainer_comments_client_id'))

    op.drop_table('trainer_comments')
    with op.batch_alter_table('red_flag_screens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_red_flag_screens_user_id'))

    op.drop_table('red_flag_screens')
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programs_owner_id'))
        batch_op.drop_index(batch_op.f('ix_programs_family'))

    op.drop_table('programs')
    op.drop_table('profiles')
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invites_trainer_id'))

    op.drop_table('invites')
    with op.batch_alter_table('function_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_function_activities_user_id'))

    op.drop_table('function_activities')
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercises_owner_id'))

    op.drop_table('exercises')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_trainer_id'))

    op.drop_table('users')
    op.drop_table('muscles')
    op.drop_table('lessons')
    op.drop_table('content_meta')
