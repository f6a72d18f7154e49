package io.jsworkflows.emulator.service;

import java.util.List;

/** One page of records: {@code after} is the next cursor (null on the last page); {@code total} only for search. */
public record ResultPage(List<CrmObject> results, String after, Integer total) {
}
