package io.jsworkflows.connections.runs.rest;

import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.RunEvent;
import io.quarkus.qute.TemplateData;

/** The contract types the runs pages render (from platform-contracts, which Qute does not index by itself). */
@TemplateData(target = RunEvent.ConsoleLine.class)
@TemplateData(target = RunEvent.HttpCall.class)
@TemplateData(target = AttemptError.class)
final class ContractTemplateData {

    private ContractTemplateData() {
    }
}
