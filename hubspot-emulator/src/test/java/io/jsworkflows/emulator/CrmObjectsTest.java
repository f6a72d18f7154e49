package io.jsworkflows.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** CRM v3 objects: shapes, calculated properties, paging, search, batch, and the validation rules workflows trip over. */
@QuarkusTest
class CrmObjectsTest extends EmulatorTestBase {

    static final String ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void createEchoesInputWithCalculatedProperties() {
        String t = token();
        String id = create(t, "contacts", Map.of("email", "Ada@Example.com", "firstname", "Ada")).statusCode(201)
                .contentType(containsString("application/json"))
                .body("id", matchesPattern("\\d+"), "archived", equalTo(false), "createdAt", matchesPattern(ISO),
                        "updatedAt", matchesPattern(ISO), "properties.email", equalTo("Ada@Example.com"),
                        "properties.firstname", equalTo("Ada"), "properties.createdate", matchesPattern(ISO),
                        "properties.lastmodifieddate", matchesPattern(ISO), "properties.hs_email_domain", equalTo("example.com"),
                        "properties.lifecyclestage", equalTo("lead"))
                .extract().path("id");
        as(t).get("/crm/v3/objects/contacts/" + id).then().statusCode(200)
                .body("properties.hs_object_id", equalTo(id), "properties", not(hasKey("hs_email_domain")),
                        "properties.email", equalTo("Ada@Example.com"));
        as(t).get("/crm/v3/objects/contacts/ada@example.com?idProperty=email&properties=phone,firstname").then().statusCode(200)
                .body("id", equalTo(id), "properties.firstname", equalTo("Ada"), "properties", not(hasKey("phone")),
                        "properties", not(hasKey("email")));
        // numbers become strings; companies and deals use hs_lastmodifieddate
        create(t, "deals", Map.of("dealname", "Big", "amount", 1200.5)).statusCode(201)
                .body("properties.amount", equalTo("1200.5"), "properties.hs_lastmodifieddate", matchesPattern(ISO),
                        "properties.pipeline", equalTo("default"), "properties.dealstage", equalTo("appointmentscheduled"));
        create(t, "companies", Map.of("name", "Acme", "domain", "acme.com")).statusCode(201).body("properties.name", equalTo("Acme"));
        create(t, "tickets", Map.of("subject", "Help")).statusCode(201)
                .body("properties.hs_pipeline", equalTo("0"), "properties.hs_pipeline_stage", equalTo("1"));
    }

    @Test
    void duplicateEmailIsAConflictNamingTheExistingId() {
        String t = token();
        String id = createId(t, "contacts", Map.of("email", "dup@example.com"));
        create(t, "contacts", Map.of("email", "DUP@example.com")).statusCode(409)
                .body("status", equalTo("error"), "category", equalTo("CONFLICT"),
                        "message", equalTo("Contact already exists. Existing ID: " + id), "correlationId", notNullValue());
        // changing another contact's email to the taken one conflicts too
        String other = createId(t, "contacts", Map.of("email", "other@example.com"));
        as(t).body(Map.of("properties", Map.of("email", "dup@example.com"))).patch("/crm/v3/objects/contacts/" + other)
                .then().statusCode(409).body("message", containsString("Existing ID: " + id));
        // after a delete the email is free again
        as(t).delete("/crm/v3/objects/contacts/" + id).then().statusCode(204);
        create(t, "contacts", Map.of("email", "dup@example.com")).statusCode(201);
    }

    @Test
    void unknownPropertyIsPropertyDoesntExist() {
        String t = token();
        create(t, "contacts", Map.of("email", "x@example.com", "testproperty", "1")).statusCode(400)
                .body("status", equalTo("error"), "category", equalTo("VALIDATION_ERROR"),
                        "message", containsString("Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"testproperty\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"testproperty\""),
                        "message", containsString("\"portalId\":" + PORTAL),
                        "errors[0].code", equalTo("PROPERTY_DOESNT_EXIST"), "errors[0].message", equalTo("Property \"testproperty\" does not exist"),
                        "errors[0].context.propertyName", contains("testproperty"));
        emulator.addProperty("contacts", "testproperty");
        create(t, "contacts", Map.of("email", "x@example.com", "testproperty", "1")).statusCode(201)
                .body("properties.testproperty", equalTo("1"));
    }

    @Test
    void stageOrPipelineGivenAsLabelIsInvalidOption() {
        String t = token();
        create(t, "deals", Map.of("dealname", "D", "dealstage", "Closed Won")).statusCode(400)
                .body("category", equalTo("VALIDATION_ERROR"), "errors[0].code", equalTo("INVALID_OPTION"),
                        "errors[0].context.propertyName", contains("dealstage"),
                        "errors[0].message", containsString("Closed Won was not one of the allowed options: [label: \"Appointment Scheduled\"\nvalue: \"appointmentscheduled\""),
                        "errors[0].message", containsString("value: \"closedwon\""),
                        "message", containsString("\"error\":\"INVALID_OPTION\",\"name\":\"dealstage\""));
        create(t, "deals", Map.of("dealname", "D", "pipeline", "Sales Pipeline")).statusCode(400)
                .body("errors[0].code", equalTo("INVALID_OPTION"), "errors[0].context.propertyName", contains("pipeline"),
                        "errors[0].message", containsString("value: \"default\""));
        String id = create(t, "deals", Map.of("dealname", "D", "dealstage", "closedwon", "pipeline", "default")).statusCode(201)
                .extract().path("id");
        as(t).body(Map.of("properties", Map.of("dealstage", "Contract Sent"))).patch("/crm/v3/objects/deals/" + id)
                .then().statusCode(400).body("errors[0].code", equalTo("INVALID_OPTION"));
        as(t).body(Map.of("properties", Map.of("dealstage", "contractsent"))).patch("/crm/v3/objects/deals/" + id)
                .then().statusCode(200).body("properties.dealstage", equalTo("contractsent"));
        create(t, "contacts", Map.of("lifecyclestage", "Customer")).statusCode(400).body("errors[0].code", equalTo("INVALID_OPTION"));
    }

    @Test
    void patchUpdatesAndEmptyStringClears() {
        String t = token();
        String id = createId(t, "contacts", Map.of("email", "p@example.com", "firstname", "P", "phone", "1"));
        as(t).body(Map.of("properties", Map.of("firstname", "Q", "phone", ""))).patch("/crm/v3/objects/contacts/" + id)
                .then().statusCode(200).body("properties.firstname", equalTo("Q"), "properties", not(hasKey("phone")));
        as(t).body(Map.of("properties", Map.of("lastname", "Z"))).patch("/crm/v3/objects/contacts/p@example.com?idProperty=email")
                .then().statusCode(200).body("id", equalTo(id), "properties.lastname", equalTo("Z"));
        as(t).body(Map.of("properties", Map.of("lastname", "Z"))).patch("/crm/v3/objects/contacts/999")
                .then().statusCode(404).body("category", equalTo("OBJECT_NOT_FOUND"));
    }

    @Test
    void deleteThen404UnlessArchived() {
        String t = token();
        String id = createId(t, "companies", Map.of("name", "Gone"));
        as(t).delete("/crm/v3/objects/companies/" + id).then().statusCode(204);
        as(t).get("/crm/v3/objects/companies/" + id).then().statusCode(404)
                .body("message", equalTo("Object not found.  objectId are usually numeric."), "category", equalTo("OBJECT_NOT_FOUND"),
                        "context.id", contains(id));
        as(t).get("/crm/v3/objects/companies/" + id + "?archived=true").then().statusCode(200)
                .body("archived", equalTo(true), "archivedAt", matchesPattern(ISO));
        as(t).delete("/crm/v3/objects/companies/" + id).then().statusCode(204);
    }

    @Test
    void listPagesWithAfterAndNoPagingOnTheLastPage() {
        String t = token();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(createId(t, "contacts", Map.of("email", "l" + i + "@example.com")));
        }
        var first = as(t).get("/crm/v3/objects/contacts").then().statusCode(200).body("results", hasSize(10))
                .body("paging.next.after", equalTo(ids.get(10)), "paging.next.link", containsString("after=" + ids.get(10)))
                .body("total", nullValue()).extract();
        assertThat(first.<String>path("results[0].id")).isEqualTo(ids.get(0));
        as(t).get("/crm/v3/objects/contacts?limit=10&after=" + ids.get(20)).then().statusCode(200)
                .body("results", hasSize(5), "paging", nullValue(), "results[4].id", equalTo(ids.get(24)));
        as(t).get("/crm/v3/objects/contacts?limit=100").then().body("results", hasSize(25));
        // portals do not see each other's records
        as(emulator.issueTokens(OTHER_PORTAL, ALL_SCOPES).accessToken()).get("/crm/v3/objects/contacts").then()
                .body("results", hasSize(0));
    }

    Map<String, Object> filter(String property, String operator, Object value) {
        return Map.of("propertyName", property, "operator", operator, operator.endsWith("IN") ? "values" : "value", value);
    }

    int searchTotal(String t, String type, List<Map<String, Object>> filters) {
        return as(t).body(Map.of("filterGroups", List.of(Map.of("filters", filters)))).post("/crm/v3/objects/" + type + "/search")
                .then().statusCode(200).extract().path("total");
    }

    @Test
    void searchOperators() {
        String t = token();
        createId(t, "contacts", Map.of("email", "ann@shop.com", "firstname", "Ann", "numemployees", "5"));
        createId(t, "contacts", Map.of("email", "bob@shop.com", "firstname", "Bob", "numemployees", "50"));
        createId(t, "contacts", Map.of("email", "cy@other.org", "numemployees", "500"));
        assertThat(searchTotal(t, "contacts", List.of(filter("email", "EQ", "ANN@shop.com")))).isEqualTo(1);
        assertThat(searchTotal(t, "contacts", List.of(filter("email", "NEQ", "ann@shop.com")))).isEqualTo(2);
        assertThat(searchTotal(t, "contacts", List.of(filter("firstname", "IN", List.of("ann", "bob"))))).isEqualTo(2);
        assertThat(searchTotal(t, "contacts", List.of(filter("firstname", "NOT_IN", List.of("ann"))))).isEqualTo(2);
        assertThat(searchTotal(t, "contacts", List.of(Map.of("propertyName", "firstname", "operator", "HAS_PROPERTY")))).isEqualTo(2);
        assertThat(searchTotal(t, "contacts", List.of(Map.of("propertyName", "firstname", "operator", "NOT_HAS_PROPERTY")))).isEqualTo(1);
        assertThat(searchTotal(t, "contacts", List.of(filter("email", "CONTAINS_TOKEN", "shop")))).isEqualTo(2);
        assertThat(searchTotal(t, "contacts", List.of(filter("email", "CONTAINS_TOKEN", "*@other.org")))).isEqualTo(1);
        assertThat(searchTotal(t, "contacts", List.of(filter("email", "NOT_CONTAINS_TOKEN", "shop")))).isEqualTo(1);
        assertThat(searchTotal(t, "contacts", List.of(filter("numemployees", "GT", "5")))).isEqualTo(2);
        assertThat(searchTotal(t, "contacts", List.of(filter("numemployees", "LT", "100")))).isEqualTo(2);
        assertThat(searchTotal(t, "contacts", List.of(filter("numemployees", "GTE", "50"), filter("numemployees", "LTE", 50)))).isEqualTo(1);
        assertThat(searchTotal(t, "contacts", List.of(Map.of("propertyName", "numemployees", "operator", "BETWEEN", "value", "10",
                "highValue", "1000")))).isEqualTo(2);
        // dates: epoch millis or ISO against createdate
        long past = System.currentTimeMillis() - 60_000;
        assertThat(searchTotal(t, "contacts", List.of(filter("createdate", "GT", Long.toString(past))))).isEqualTo(3);
        assertThat(searchTotal(t, "contacts", List.of(filter("createdate", "LT", "2000-01-01T00:00:00Z")))).isEqualTo(0);
        // OR across groups
        int or = as(t).body(Map.of("filterGroups", List.of(Map.of("filters", List.of(filter("firstname", "EQ", "Ann"))),
                Map.of("filters", List.of(filter("firstname", "EQ", "Bob")))))).post("/crm/v3/objects/contacts/search")
                .then().extract().path("total");
        assertThat(or).isEqualTo(2);
    }

    @Test
    void searchPagingSortingAndLimits() {
        String t = token();
        for (int i = 0; i < 12; i++) {
            createId(t, "deals", Map.of("dealname", "deal " + i, "amount", Integer.toString(i * 10)));
        }
        as(t).body(Map.of("sorts", List.of(Map.of("propertyName", "amount", "direction", "DESCENDING")), "limit", 5,
                "properties", List.of("dealname", "amount")))
                .post("/crm/v3/objects/deals/search").then().statusCode(200)
                .body("total", equalTo(12), "results", hasSize(5), "results[0].properties.amount", equalTo("110"),
                        "results[0].properties", not(hasKey("pipeline")), "paging.next.after", equalTo("5"));
        as(t).body(Map.of("after", "10", "limit", 5)).post("/crm/v3/objects/deals/search").then()
                .body("results", hasSize(2), "paging", nullValue());
        as(t).body(Map.of("query", "deal 7")).post("/crm/v3/objects/deals/search").then().body("total", equalTo(1));
        List<Map<String, Object>> groups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            groups.add(Map.of("filters", List.of(filter("dealname", "EQ", "x"))));
        }
        as(t).body(Map.of("filterGroups", groups)).post("/crm/v3/objects/deals/search").then().statusCode(400)
                .body("category", equalTo("VALIDATION_ERROR"), "message", containsString("filter groups (5)"));
        as(t).body(Map.of("filterGroups", List.of(Map.of("filters", List.of(filter("dealname", "LIKE", "x"))))))
                .post("/crm/v3/objects/deals/search").then().statusCode(400).body("message", containsString("Unknown filter operator"));
        as(t).body(Map.of("limit", 201)).post("/crm/v3/objects/deals/search").then().statusCode(400);
    }

    @Test
    void batchCreateReadUpsert() {
        String t = token();
        var created = as(t).body(Map.of("inputs", List.of(Map.of("properties", Map.of("email", "b1@example.com")),
                Map.of("properties", Map.of("email", "b2@example.com"))))).post("/crm/v3/objects/contacts/batch/create")
                .then().statusCode(201).body("status", equalTo("COMPLETE"), "results", hasSize(2),
                        "startedAt", matchesPattern(ISO), "completedAt", matchesPattern(ISO)).extract();
        String id1 = created.path("results[0].id");
        // one duplicate fails the whole batch with the first conflict
        as(t).body(Map.of("inputs", List.of(Map.of("properties", Map.of("email", "b3@example.com")),
                Map.of("properties", Map.of("email", "b1@example.com"))))).post("/crm/v3/objects/contacts/batch/create")
                .then().statusCode(409).body("message", equalTo("Contact already exists. Existing ID: " + id1));
        assertThat(emulator.searchObjects("contacts", "email", "b3@example.com")).isEmpty();

        as(t).body(Map.of("properties", List.of("email"), "inputs", List.of(Map.of("id", id1), Map.of("id", "42"))))
                .post("/crm/v3/objects/contacts/batch/read").then().statusCode(207)
                .body("results", hasSize(1), "results[0].properties.email", equalTo("b1@example.com"), "numErrors", equalTo(1),
                        "errors[0].category", equalTo("OBJECT_NOT_FOUND"), "errors[0].context.ids", contains("42"));
        as(t).body(Map.of("idProperty", "email", "inputs", List.of(Map.of("id", "b2@example.com"))))
                .post("/crm/v3/objects/contacts/batch/read").then().statusCode(200).body("results", hasSize(1));

        as(t).body(Map.of("inputs", List.of(
                Map.of("id", "b1@example.com", "idProperty", "email", "properties", Map.of("phone", "555")),
                Map.of("id", "new@example.com", "idProperty", "email", "properties", Map.of("firstname", "N")))))
                .post("/crm/v3/objects/contacts/batch/upsert").then().statusCode(200)
                .body("results.find { it.id == '" + id1 + "' }.new", equalTo(false),
                        "results.find { it.id == '" + id1 + "' }.properties.phone", equalTo("555"),
                        "results.find { it.properties.email == 'new@example.com' }.new", equalTo(true));
        assertThat(emulator.searchObjects("contacts", "email", "new@example.com")).hasSize(1);

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(Map.of("properties", Map.of("firstname", "x")));
        }
        as(t).body(Map.of("inputs", tooMany)).post("/crm/v3/objects/contacts/batch/create").then().statusCode(400);
    }

    @Test
    void batchPartialFailuresUpdateAndArchive() {
        String t = token();
        createId(t, "contacts", Map.of("email", "taken@example.com"));
        as(t).body(Map.of("inputs", List.of(
                Map.of("properties", Map.of("email", "fresh@example.com"), "objectWriteTraceId", "t1"),
                Map.of("properties", Map.of("email", "taken@example.com"), "objectWriteTraceId", "t2"))))
                .post("/crm/v3/objects/contacts/batch/create").then().statusCode(207)
                .body("results", hasSize(1), "results[0].objectWriteTraceId", equalTo("t1"), "numErrors", equalTo(1),
                        "errors[0].category", equalTo("CONFLICT"), "errors[0].context.objectWriteTraceId", contains("t2"));
        String a = createId(t, "companies", Map.of("name", "A"));
        String b = createId(t, "companies", Map.of("name", "B"));
        as(t).body(Map.of("inputs", List.of(Map.of("id", a, "properties", Map.of("city", "Berlin")),
                Map.of("id", "4711", "properties", Map.of("city", "Paris")))))
                .post("/crm/v3/objects/companies/batch/update").then().statusCode(207)
                .body("results[0].properties.city", equalTo("Berlin"), "errors[0].category", equalTo("OBJECT_NOT_FOUND"));
        as(t).body(Map.of("inputs", List.of(Map.of("id", a), Map.of("id", b)))).post("/crm/v3/objects/companies/batch/archive")
                .then().statusCode(204);
        as(t).get("/crm/v3/objects/companies").then().body("results", hasSize(0));
        as(t).get("/crm/v3/objects/companies?archived=true").then().body("results", hasSize(2));
        as(t).body(Map.of("inputs", List.of())).post("/crm/v3/objects/companies/batch/merge").then().statusCode(404);
        as(t).get("/crm/v3/objects/widgets").then().statusCode(400).body("message", containsString("Unable to infer object type"));
        as(t).contentType("application/json").body("{\"properties\":").post("/crm/v3/objects/contacts").then().statusCode(400)
                .body("category", equalTo("VALIDATION_ERROR"));
    }

    @Test
    void pipelinesAndAssociations() {
        String t = token(List.of("crm.objects.deals.read", "crm.objects.deals.write", "crm.objects.contacts.write"));
        as(t).get("/crm/v3/pipelines/deals").then().statusCode(200)
                .body("results", hasSize(1), "results[0].id", equalTo("default"), "results[0].label", equalTo("Sales Pipeline"),
                        "results[0].createdAt", equalTo("1970-01-01T00:00:00Z"), "results[0].stages", hasSize(7),
                        "results[0].stages.id", contains("appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
                                "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"),
                        "results[0].stages[5].metadata.isClosed", equalTo("true"),
                        "results[0].stages[5].metadata.probability", equalTo("1.0"),
                        "results[0].stages[0].writePermissions", equalTo("CRM_PERMISSIONS_ENFORCEMENT"),
                        "paging", nullValue());
        as(t).get("/crm/v3/pipelines/deals/default/stages").then().statusCode(200).body("results", hasSize(7));

        String deal = createId(t, "deals", Map.of("dealname", "A"));
        String contact = createId(t, "contacts", Map.of("email", "assoc@example.com"));
        as(t).put("/crm/v4/objects/deals/" + deal + "/associations/default/contacts/" + contact).then().statusCode(200)
                .body("status", equalTo("COMPLETE"), "results[0].from.id", equalTo(deal), "results[0].to.id", equalTo(contact),
                        "results[0].associationSpec.associationCategory", equalTo("HUBSPOT_DEFINED"),
                        "results[0].associationSpec.associationTypeId", equalTo(3));
        as(t).get("/crm/v3/objects/deals/" + deal + "?associations=contacts").then().statusCode(200)
                .body("associations.contacts.results[0].id", equalTo(contact),
                        "associations.contacts.results[0].type", equalTo("deal_to_contact"));
        as(t).get("/crm/v4/objects/deals/" + deal + "/associations/contacts").then().statusCode(200)
                .body("results[0].toObjectId", equalTo(Long.valueOf(contact).intValue()));
        as(t).put("/crm/v4/objects/deals/" + deal + "/associations/default/contacts/999").then().statusCode(404);

        // associations given at create time
        create(t, "deals", Map.of("dealname", "B")).statusCode(201);
        given().header("Authorization", "Bearer " + t).contentType("application/json")
                .body(Map.of("properties", Map.of("dealname", "C"), "associations", List.of(Map.of("to", Map.of("id", contact),
                        "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 3))))))
                .post("/crm/v3/objects/deals").then().statusCode(201);
        assertThat(emulator.getObject("contacts", contact).path("object").path("id").asText()).isEqualTo(contact);
        as(t).get("/crm/v3/objects/deals?associations=contacts&limit=100").then()
                .body("results.findAll { it.associations != null }", hasSize(2),
                        "results.properties.dealname", hasItems("A", "B", "C"));
    }
}
