package io.jsworkflows.emulator.service;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The four CRM object types the emulator knows, with their properties and scopes (facts file §6 and §9). */
public enum ObjectType {

    CONTACTS("contacts", "0-1", "Contact", "lastmodifieddate",
            List.of("crm.objects.contacts.read"), List.of("crm.objects.contacts.write"),
            List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"),
            Set.of("email", "firstname", "lastname", "phone", "mobilephone", "company", "website", "address", "city", "state",
                    "zip", "country", "jobtitle", "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "message", "fax",
                    "industry", "annualrevenue", "numemployees", "date_of_birth", "salutation", "hs_language",
                    "twitterhandle", "hs_persona", "notes_last_contacted", "hs_analytics_source", "hs_email_optout",
                    "hs_whatsapp_phone_number", "hs_timezone")),
    COMPANIES("companies", "0-2", "Company", "hs_lastmodifieddate",
            List.of("crm.objects.companies.read"), List.of("crm.objects.companies.write"),
            List.of("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"),
            Set.of("name", "domain", "phone", "website", "address", "address2", "city", "state", "zip", "country",
                    "industry", "description", "numberofemployees", "annualrevenue", "lifecyclestage", "hubspot_owner_id",
                    "type", "timezone", "linkedin_company_page", "founded_year", "is_public")),
    DEALS("deals", "0-3", "Deal", "hs_lastmodifieddate",
            List.of("crm.objects.deals.read"), List.of("crm.objects.deals.write"),
            List.of("amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id",
                    "pipeline"),
            Set.of("dealname", "dealstage", "pipeline", "amount", "closedate", "dealtype", "description",
                    "hubspot_owner_id", "hs_priority", "deal_currency_code", "hs_next_step", "closed_lost_reason",
                    "closed_won_reason", "hs_forecast_amount", "hs_forecast_probability", "hs_manual_forecast_category")),
    TICKETS("tickets", "0-5", "Ticket", "hs_lastmodifieddate",
            List.of("tickets"), List.of("tickets"),
            List.of("content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage",
                    "hs_ticket_category", "hs_ticket_priority", "subject"),
            Set.of("subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority", "hs_ticket_category",
                    "hubspot_owner_id", "source_type", "closed_date", "hs_resolution"));

    /** Calculated by the emulator; writes to them are ignored, as HubSpot recomputes them. */
    public static final Set<String> CALCULATED = Set.of("hs_object_id", "createdate", "lastmodifieddate",
            "hs_lastmodifieddate", "hs_object_source", "hs_email_domain", "hs_createdate");

    private final String path;
    private final String typeId;
    private final String label;
    private final String lastModifiedProperty;
    private final List<String> readScopes;
    private final List<String> writeScopes;
    private final List<String> defaultProperties;
    private final Set<String> writableProperties;

    ObjectType(String path, String typeId, String label, String lastModifiedProperty, List<String> readScopes,
            List<String> writeScopes, List<String> defaultProperties, Set<String> writableProperties) {
        this.path = path;
        this.typeId = typeId;
        this.label = label;
        this.lastModifiedProperty = lastModifiedProperty;
        this.readScopes = readScopes;
        this.writeScopes = writeScopes;
        this.defaultProperties = defaultProperties;
        this.writableProperties = writableProperties;
    }

    /** {@code contacts}, {@code contact}, {@code 0-1} and friends; null when unknown. */
    public static ObjectType fromPath(String s) {
        if (s == null) {
            return null;
        }
        String v = s.toLowerCase(Locale.ROOT);
        for (ObjectType t : values()) {
            if (t.path.equals(v) || t.typeId.equals(v) || t.path.equals(v + "s") || (t == COMPANIES && v.equals("company"))) {
                return t;
            }
        }
        return null;
    }

    public String path() {
        return path;
    }

    public String typeId() {
        return typeId;
    }

    public String label() {
        return label;
    }

    public String lastModifiedProperty() {
        return lastModifiedProperty;
    }

    public List<String> readScopes() {
        return readScopes;
    }

    public List<String> writeScopes() {
        return writeScopes;
    }

    public List<String> defaultProperties() {
        return defaultProperties;
    }

    public Set<String> writableProperties() {
        return writableProperties;
    }

    /** Singular lower-case name as HubSpot uses it in association type names ({@code deal_to_contact}). */
    public String singular() {
        return label.toLowerCase(Locale.ROOT);
    }
}
