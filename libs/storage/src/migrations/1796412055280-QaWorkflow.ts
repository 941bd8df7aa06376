import { MigrationInterface, QueryRunner } from "typeorm";

export class QaWorkflow1796412055280 implements MigrationInterface {
    name = 'QaWorkflow1796412055280'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "candidate_ticket" ("candidate_id" uuid NOT NULL, "issue_key" text NOT NULL, "origin" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3ff125b79a70cca992daeb6f0a5" PRIMARY KEY ("candidate_id", "issue_key"))`);
        await queryRunner.query(`CREATE INDEX "candidate_ticket_issue_idx" ON "candidate_ticket"  ("issue_key") `);
        await queryRunner.query(`CREATE TABLE "candidate_triage" ("candidate_id" uuid NOT NULL, "state" text NOT NULL, "record" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5bf829f7c1609d32b103b41112d" PRIMARY KEY ("candidate_id"))`);
        await queryRunner.query(`CREATE INDEX "candidate_triage_state_idx" ON "candidate_triage"  ("state") `);
        await queryRunner.query(`CREATE TABLE "jira_notice" ("notice_key" text NOT NULL, "candidate_id" uuid NOT NULL, "issue_key" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "done_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b78920d7c2f481d97043396c1f8" PRIMARY KEY ("notice_key"))`);
        await queryRunner.query(`CREATE TABLE "jira_sync_state" ("id" text NOT NULL, "last_poll" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1a8b32cc0d00e285c3fc13c04b1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "jira_ticket" ("issue_key" text NOT NULL, "issue_id" text, "status" text, "done" boolean NOT NULL DEFAULT false, "resolution" text, "fix_versions" text array NOT NULL DEFAULT '{}', "duplicate_of" text, "jira_updated" TIMESTAMP WITH TIME ZONE, "synced_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1967af868dec4ebfec3f4b20954" PRIMARY KEY ("issue_key"))`);
        await queryRunner.query(`CREATE TABLE "ticket_filing" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" text NOT NULL, "candidate_id" uuid NOT NULL, "state" text NOT NULL, "issue_key" text, "outcome" text, "requested_by" text NOT NULL, "fields" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc195d2541a3f59d36b626751ec" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ticket_filing_pending_idx" ON "ticket_filing"  ("candidate_id") WHERE state = 'pending'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "ticket_filing_request_idx" ON "ticket_filing"  ("request_id") `);
        await queryRunner.query(`CREATE TABLE "triage_log" ("id" BIGSERIAL NOT NULL, "candidate_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor" text NOT NULL, "action" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_d6bcd7c7d44d991e95140dc8066" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "triage_log_candidate_idx" ON "triage_log"  ("candidate_id", "at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."triage_log_candidate_idx"`);
        await queryRunner.query(`DROP TABLE "triage_log"`);
        await queryRunner.query(`DROP INDEX "public"."ticket_filing_request_idx"`);
        await queryRunner.query(`DROP INDEX "public"."ticket_filing_pending_idx"`);
        await queryRunner.query(`DROP TABLE "ticket_filing"`);
        await queryRunner.query(`DROP TABLE "jira_ticket"`);
        await queryRunner.query(`DROP TABLE "jira_sync_state"`);
        await queryRunner.query(`DROP TABLE "jira_notice"`);
        await queryRunner.query(`DROP INDEX "public"."candidate_triage_state_idx"`);
        await queryRunner.query(`DROP TABLE "candidate_triage"`);
        await queryRunner.query(`DROP INDEX "public"."candidate_ticket_issue_idx"`);
        await queryRunner.query(`DROP TABLE "candidate_ticket"`);
    }

}
