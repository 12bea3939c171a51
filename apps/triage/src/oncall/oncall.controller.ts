import { Body, Controller, Get, Headers, Inject, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Caller, contractSchemaRef, CurrentCaller, Roles } from '@watchfloor/platform';
import { Clock } from '@watchfloor/persistence';
import type { FastifyReply } from 'fastify';
import { OnCallExerciseQuery, OnCallQuery } from './dto/oncall-query';
import { RotationDto } from './dto/rotation.dto';
import { versionFromIfMatch } from './if-match';
import { OnCallRoster } from './oncall-roster';
import { ReplaceRotation } from './replace-rotation.usecase';
import { toRotationView, type RotationView } from './rotation.view';

@ApiTags('oncall')
@ApiBearerAuth('bearer')
@Controller('v1/oncall')
export class OnCallController {
  constructor(
    @Inject(OnCallRoster) private readonly roster: OnCallRoster,
    @Inject(ReplaceRotation) private readonly replaceRotation: ReplaceRotation,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('triage')
  @ApiOperation({ summary: 'The on-call rotation, and who is on call now (or at `at`)' })
  async get(@Query() query: OnCallQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<RotationView> {
    const view = toRotationView(await this.roster.current(undefined, query.exercise), query.at === undefined ? this.clock.now() : new Date(query.at), query.exercise);
    void reply.header('etag', `"${view.version}"`);
    return view;
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the rotation', description: 'Shifts are wall-clock times in `timezone`; see docs/triage-oncall.md.' })
  @ApiBody({ schema: contractSchemaRef(RotationDto) })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of the rotation you read; 412 when it has changed since.' })
  @ApiResponse({ status: 200, description: 'The rotation in force, with its new version (also the ETag).' })
  async put(
    @CurrentCaller() caller: Caller,
    @Body() body: RotationDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() query: OnCallExerciseQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RotationView> {
    const view = await this.replaceRotation.execute(caller, body, versionFromIfMatch(ifMatch), query.exercise);
    void reply.header('etag', `"${view.version}"`);
    return view;
  }
}
