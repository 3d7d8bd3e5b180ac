"""Files, photos and links attached to a partnership's records, with consent for photos that show people."""
