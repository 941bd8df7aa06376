import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue, JOBS, QUEUES, TicketJobData } from '../../../../libs/queue/src';
import { TicketService } from './ticket.service';

/** Worker role: binds the ticket-filing job to its service. */
@Injectable()
export class TicketFilingProcessor implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly tickets: TicketService,
  ) {}

  onModuleInit(): void {
    this.queue.handle<TicketJobData>(QUEUES.jira, JOBS.fileJiraTicket, ({ filingId }, ctx) => this.tickets.runFiling(filingId, ctx.isFinalAttempt));
  }
}
