package io.redmatch.clearing.engine;

import java.util.List;

/**
 * A stream entry as the engine sent it: its ID and its flat field/value list, not yet validated.
 *
 * @param id     the entry ID.
 * @param fields field, value, field, value...
 */
public record RawEntry(String id, List<String> fields)
{
}
