package io.jsworkflows.emulator.rest;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Request and response bodies of the CRM v3/v4 endpoints, named as in HubSpot's OpenAPI specs. */
final class CrmDtos {

    private CrmDtos() {
    }

    record To(String id) {
    }

    record AssociationSpec(String associationCategory, Integer associationTypeId) {
    }

    record AssociationInput(To to, List<AssociationSpec> types) {
    }

    record CreateInput(Map<String, Object> properties, List<AssociationInput> associations, String objectWriteTraceId) {
    }

    record UpdateInput(Map<String, Object> properties) {
    }

    record FilterInput(String propertyName, String operator, String value, String highValue, List<String> values) {
    }

    record FilterGroup(List<FilterInput> filters) {
    }

    record SearchInput(List<FilterGroup> filterGroups, List<Object> sorts, List<String> properties, Integer limit, String after,
            String query) {
    }

    record BatchItem(String id, String idProperty, Map<String, Object> properties, List<AssociationInput> associations,
            String objectWriteTraceId) {
    }

    record BatchInput(List<BatchItem> inputs, List<String> properties, String idProperty) {
    }

    record AssociationRef(String id, String type) {
    }

    record AssociationList(List<AssociationRef> results) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SimplePublicObject(String id, SortedMap<String, String> properties, String createdAt, String updatedAt,
            boolean archived, String archivedAt, Map<String, AssociationList> associations, String objectWriteTraceId,
            @JsonProperty("new") Boolean isNew) {
    }

    record Next(String after, String link) {
    }

    record Paging(Next next) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ListResponse(List<SimplePublicObject> results, Paging paging) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SearchResponse(int total, List<SimplePublicObject> results, Paging paging) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchResponse(String status, List<?> results, Integer numErrors, List<Map<String, Object>> errors,
            String startedAt, String completedAt) {
    }
}
