import type { BindTriggerRequest, ScfAction, ScfRequest } from '../tencent-api';

/*
 * The parameters each action takes, as the SDK's models name them. The API answers
 * UnknownParameter to a request naming any other, so the stand-in does too: a name misspelt, or
 * sent to an action that lacks it (a spread object escapes tsc's excess-property check), fails
 * here as it would in the cloud. `Names` makes tsc check each list against the SDK's model, both
 * ways: a name it lacks, or one left out, is a compile error.
 */

type Names<Request> = { [Name in keyof Required<Request>]: true };

export const PARAMETERS: { [A in ScfAction]: Names<ScfRequest<A>> } & { BindTrigger: Names<BindTriggerRequest> } = {
  GetFunction: { FunctionName: true, Qualifier: true, Namespace: true, ShowCode: true },
  CreateFunction: {
    FunctionName: true, Code: true, Handler: true, Description: true, MemorySize: true, Timeout: true,
    Environment: true, Runtime: true, VpcConfig: true, Namespace: true, Role: true, InstallDependency: true,
    ClsLogsetId: true, ClsTopicId: true, Type: true, CodeSource: true, Layers: true, DeadLetterConfig: true,
    PublicNetConfig: true, CfsConfig: true, InitTimeout: true, Tags: true, AsyncRunEnable: true,
    TraceEnable: true, AutoDeployClsTopicIndex: true, AutoCreateClsTopic: true, ProtocolType: true,
    ProtocolParams: true, InstanceConcurrencyConfig: true, DnsCache: true, IntranetConfig: true,
  },
  UpdateFunctionCode: {
    FunctionName: true, Handler: true, CosBucketName: true, CosObjectName: true, ZipFile: true,
    Namespace: true, CosBucketRegion: true, InstallDependency: true, EnvId: true, Publish: true, Code: true,
    CodeSource: true,
  },
  UpdateFunctionConfiguration: {
    FunctionName: true, Description: true, MemorySize: true, Timeout: true, Runtime: true, Environment: true,
    Namespace: true, VpcConfig: true, Role: true, InstallDependency: true, ClsLogsetId: true,
    ClsTopicId: true, Publish: true, L5Enable: true, Layers: true, DeadLetterConfig: true,
    PublicNetConfig: true, CfsConfig: true, InitTimeout: true, ProtocolParams: true,
    InstanceConcurrencyConfig: true, DnsCache: true, IntranetConfig: true, IgnoreSysLog: true,
  },
  GetFunctionEventInvokeConfig: { FunctionName: true, Namespace: true, Qualifier: true },
  UpdateFunctionEventInvokeConfig: { AsyncTriggerConfig: true, FunctionName: true, Namespace: true },
  ListTriggers: { FunctionName: true, Namespace: true, Offset: true, Limit: true, OrderBy: true, Order: true, Filters: true },
  CreateTrigger: {
    FunctionName: true, TriggerName: true, Type: true, TriggerDesc: true, Namespace: true, Qualifier: true, Enable: true,
    CustomArgument: true, Description: true,
  },
  UpdateTrigger: {
    FunctionName: true, TriggerName: true, Type: true, Enable: true, Qualifier: true, Namespace: true, TriggerDesc: true,
    Description: true, CustomArgument: true,
  },
  Invoke: { FunctionName: true, InvocationType: true, Qualifier: true, ClientContext: true, LogType: true, Namespace: true, RoutingKey: true },
  BindTrigger: { ScfRegion: true, EventType: true, Qualifier: true, FunctionName: true, Namespace: true },
};
