"""An upload handler that stops receiving an import file once it passes IMPORT_MAX_BYTES, so
that an oversized upload is refused without being written to disk whole."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class CappedUploadHandler(FileUploadHandler):
    """First in the request's handlers: counts each file's bytes and passes them on; past the
    limit it stops the upload (the rest of the request is read and dropped) and says so in
    `too_large`, for the form to show the limit rather than "choose a file"."""

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
