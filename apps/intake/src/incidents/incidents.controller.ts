import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IncidentSubmission, IncidentUpdateSubmission } from '@watchfloor/contracts';
import { type Caller, contractSchemaRef, CorrelationId, CurrentCaller, Roles } from '@watchfloor/platform';
import type { FastifyReply } from 'fastify';
import { AddIncidentUpdate } from './add-update.usecase';
import { ListIncidentsQuery } from './dto/list-incidents.query';
import { idempotencyKeyOf } from './idempotency-key';
import { ReadIncidents } from './read-incidents.usecase';
import { SubmitIncident } from './submit-incident.usecase';

@ApiTags('incidents')
@ApiBearerAuth('bearer')
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    @Inject(SubmitIncident) private readonly submitIncident: SubmitIncident,
    @Inject(ReadIncidents) private readonly readIncidents: ReadIncidents,
    @Inject(AddIncidentUpdate) private readonly addUpdate: AddIncidentUpdate,
  ) {}

  @Post()
  @Roles('official', 'automation')
  @ApiOperation({ summary: 'Submit an incident', description: 'See docs/contracts.md for the submission fields.' })
  @ApiBody({ schema: contractSchemaRef(IncidentSubmission) })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the same 201 again; same key, other body: 422.' })
  @ApiResponse({ status: 201, description: 'Accepted: `{ id, reference, status, receivedAt }`, committed before this answer.' })
  @ApiResponse({ status: 200, description: 'Same source.system + source.reference as an earlier incident: that incident, updated.' })
  async submit(
    @CurrentCaller() caller: Caller,
    @Body() body: IncidentSubmission,
    @Headers('idempotency-key') idempotencyHeader: string | undefined,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.submitIncident.execute(caller, body, { idempotencyKey: idempotencyKeyOf(idempotencyHeader), correlationId });
    if (outcome.kind === 'created') {
      await reply.status(201).header('location', `/v1/incidents/${outcome.receipt.id}`).send(outcome.receipt);
    } else {
      await reply.status(200).header('location', `/v1/incidents/${outcome.incident.id}`).send(outcome.incident);
    }
  }

  @Get()
  @Roles('official', 'automation', 'triage')
  @ApiOperation({ summary: 'List incidents you may see, newest first' })
  list(@CurrentCaller() caller: Caller, @Query() query: ListIncidentsQuery) {
    return this.readIncidents.list(caller, query);
  }

  @Get(':id')
  @Roles('official', 'automation', 'triage')
  @ApiOperation({ summary: 'An incident with its tracking status, history and updates' })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.readIncidents.get(caller, id);
  }

  @Post(':id/updates')
  @HttpCode(201)
  @Roles('official', 'automation')
  @ApiOperation({ summary: 'Add information to an incident of your jurisdiction' })
  @ApiBody({ schema: contractSchemaRef(IncidentUpdateSubmission) })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body on this incident: the same 201 again, nothing added; same key, other body: 422.' })
  addInformation(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: IncidentUpdateSubmission,
    @Headers('idempotency-key') idempotencyHeader: string | undefined,
    @CorrelationId() correlationId: string,
  ) {
    return this.addUpdate.execute(caller, id, body, { idempotencyKey: idempotencyKeyOf(idempotencyHeader), correlationId });
  }
}
