package org.radloop.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query identifiers as plain maps of DICOM keyword to value, so routes never touch PixelMed types.
 * An empty value asks the peer to return that key. The level defaults to STUDY.
 */
final class DicomQueryKeys {
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

    private DicomQueryKeys() {
    }

    static AttributeList identifier(Map<String, ?> keys) throws DicomException {
        AttributeList list = new AttributeList();
        boolean hasLevel = false;
        for (Map.Entry<String, ?> key : keys.entrySet()) {
            AttributeTag tag = DICTIONARY.getTagFromName(key.getKey());
            if (tag == null) {
                throw new IllegalArgumentException("unknown DICOM keyword in query: " + key.getKey());
            }
            hasLevel |= "QueryRetrieveLevel".equals(key.getKey());
            Attribute attribute = AttributeFactory.newAttribute(tag);
            Object value = key.getValue();
            if (value != null && !value.toString().isEmpty()) {
                attribute.addValue(value.toString());
            }
            list.put(attribute);
        }
        if (!hasLevel) {
            Attribute level = AttributeFactory.newAttribute(DICTIONARY.getTagFromName("QueryRetrieveLevel"));
            level.addValue("STUDY");
            list.put(level);
        }
        return list;
    }

    static Map<String, String> toMap(AttributeList identifier) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Object o : identifier.values()) {
            Attribute attribute = (Attribute) o;
            if (attribute instanceof SequenceAttribute) {
                continue;
            }
            AttributeTag tag = attribute.getTag();
            String name = DICTIONARY.getNameFromTag(tag);
            row.put(name == null ? tag.toString() : name, attribute.getDelimitedStringValuesOrEmptyString());
        }
        return row;
    }
}
