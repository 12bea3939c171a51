import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Caller, CorrelationId, CurrentCaller, Roles } from '@watchfloor/platform';
import type { FastifyReply } from 'fastify';
import type { TriageIncident } from '../incidents/incident.record';
import type { IncidentDetailView } from '../incidents/incident.view';
import { versionFromIfMatch } from '../oncall/if-match';
import { AcknowledgeIncident } from './acknowledge.usecase';
import { AddNote } from './add-note.usecase';
import { AssignIncident } from './assign.usecase';
import { ChangeStatus } from './change-status.usecase';
import { AssignBody, NoteBody, PriorityBody, StatusBody } from './dto/lifecycle.dto';
import { OverridePriority } from './override-priority.usecase';
import { ReadIncident } from './read-incident.usecase';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag of the version you read, e.g. "3"; another version -> 412.' } as const;

/** Triage staff work an incident: read it, acknowledge, assign, move it along, override its level, add notes. */
@ApiTags('incidents')
@ApiBearerAuth('bearer')
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    @Inject(ReadIncident) private readonly read: ReadIncident,
    @Inject(AcknowledgeIncident) private readonly acknowledgeIncident: AcknowledgeIncident,
    @Inject(AssignIncident) private readonly assignIncident: AssignIncident,
    @Inject(ChangeStatus) private readonly changeStatus: ChangeStatus,
    @Inject(OverridePriority) private readonly overridePriority: OverridePriority,
    @Inject(AddNote) private readonly addNote: AddNote,
  ) {}

  @Get(':id')
  @Roles('triage')
  @ApiOperation({ summary: 'Everything: submission, score breakdown, adjustments, cluster, assignment, deadline, notes, timeline' })
  @ApiResponse({ status: 200, description: 'With `ETag: "<version>"`.' })
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<IncidentDetailView> {
    return this.withEtag(reply, await this.read.execute(id));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('triage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Take the incident on (stops escalation); twice is a no-op' })
  async acknowledge(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IncidentDetailView> {
    return this.respond(reply, this.acknowledgeIncident.execute(caller, id, versionFromIfMatch(ifMatch), correlationId));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('triage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Give the incident to someone' })
  async assign(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: AssignBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IncidentDetailView> {
    return this.respond(reply, this.assignIncident.execute(caller, id, body.assignee, versionFromIfMatch(ifMatch), correlationId));
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles('triage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Move along the lifecycle; an illegal transition is 409 INCIDENT.ILLEGAL_TRANSITION' })
  async status(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: StatusBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IncidentDetailView> {
    return this.respond(reply, this.changeStatus.execute(caller, id, body, versionFromIfMatch(ifMatch), correlationId));
  }

  @Post(':id/priority')
  @HttpCode(200)
  @Roles('triage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Override the level, with a reason (the computed level is kept beside it)' })
  async priority(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: PriorityBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IncidentDetailView> {
    return this.respond(reply, this.overridePriority.execute(caller, id, body, versionFromIfMatch(ifMatch), correlationId));
  }

  @Post(':id/notes')
  @HttpCode(201)
  @Roles('triage')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: "Add a note, with its own TLP (default: the incident's)" })
  async note(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: NoteBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ noteId: string; version: number }> {
    const { noteId, incident } = await this.addNote.execute(caller, id, body, versionFromIfMatch(ifMatch), correlationId);
    void reply.header('etag', `"${incident.version}"`);
    return { noteId, version: incident.version };
  }

  private async respond(reply: FastifyReply, change: Promise<TriageIncident>): Promise<IncidentDetailView> {
    return this.withEtag(reply, await this.read.detail(await change));
  }

  private withEtag(reply: FastifyReply, view: IncidentDetailView): IncidentDetailView {
    void reply.header('etag', `"${view.version}"`);
    return view;
  }
}
