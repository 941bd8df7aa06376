import { MigrationInterface, QueryRunner } from "typeorm";

export class AccessControl1796411832674 implements MigrationInterface {
    name = 'AccessControl1796411832674'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "user_account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text NOT NULL, "display_name" text NOT NULL, "role" text NOT NULL, "password_hash" text, "oidc_issuer" text, "oidc_subject" text, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6acfec7285fdf9f463462de3e9f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "user_account_oidc_key" ON "user_account"  ("oidc_issuer", "oidc_subject") WHERE oidc_subject IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "user_account_username_key" ON "user_account"  ("username") `);
        await queryRunner.query(`CREATE TABLE "user_session" ("id" text NOT NULL, "user_id" uuid NOT NULL, "csrf_token" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_adf3b49590842ac3cf54cac451a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "user_session_user_idx" ON "user_session"  ("user_id") `);
        await queryRunner.query(`CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" text NOT NULL, "token_hash" text NOT NULL, "token_prefix" text NOT NULL, "scope" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "api_token_user_idx" ON "api_token"  ("user_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "api_token_hash_key" ON "api_token"  ("token_hash") `);
        await queryRunner.query(`CREATE TABLE "rig_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rig_name" text NOT NULL, "labels" jsonb NOT NULL DEFAULT '{}', "key_hash" text NOT NULL, "key_prefix" text NOT NULL, "created_by" uuid, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_66ca4caae27660d382b378b7269" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "rig_key_hash_key" ON "rig_key"  ("key_hash") `);
        await queryRunner.query(`CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_kind" text NOT NULL, "actor_id" text, "actor_name" text NOT NULL, "action" text NOT NULL, "target_type" text NOT NULL, "target_id" text, "before" jsonb, "after" jsonb, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "audit_event_at_idx" ON "audit_event"  ("at") `);
        await queryRunner.query(`CREATE INDEX "audit_event_actor_idx" ON "audit_event"  ("actor_kind", "actor_id") `);
        await queryRunner.query(`CREATE INDEX "audit_event_target_idx" ON "audit_event"  ("target_type", "target_id") `);
        // Append-only in the database itself, not just by convention: rows cannot be changed or removed.
        await queryRunner.query(`CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP; END $$`);
        await queryRunner.query(`CREATE TRIGGER "audit_event_no_change" BEFORE UPDATE OR DELETE ON "audit_event"
            FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"()`);
        await queryRunner.query(`CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
            FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "audit_event_no_truncate" ON "audit_event"`);
        await queryRunner.query(`DROP TRIGGER "audit_event_no_change" ON "audit_event"`);
        await queryRunner.query(`DROP FUNCTION "audit_event_append_only"()`);
        await queryRunner.query(`DROP INDEX "public"."audit_event_target_idx"`);
        await queryRunner.query(`DROP INDEX "public"."audit_event_actor_idx"`);
        await queryRunner.query(`DROP INDEX "public"."audit_event_at_idx"`);
        await queryRunner.query(`DROP TABLE "audit_event"`);
        await queryRunner.query(`DROP INDEX "public"."rig_key_hash_key"`);
        await queryRunner.query(`DROP TABLE "rig_key"`);
        await queryRunner.query(`DROP INDEX "public"."api_token_hash_key"`);
        await queryRunner.query(`DROP INDEX "public"."api_token_user_idx"`);
        await queryRunner.query(`DROP TABLE "api_token"`);
        await queryRunner.query(`DROP INDEX "public"."user_session_user_idx"`);
        await queryRunner.query(`DROP TABLE "user_session"`);
        await queryRunner.query(`DROP INDEX "public"."user_account_username_key"`);
        await queryRunner.query(`DROP INDEX "public"."user_account_oidc_key"`);
        await queryRunner.query(`DROP TABLE "user_account"`);
    }

}
