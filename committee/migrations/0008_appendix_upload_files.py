"""Uploaded appendices keep the name they came with (document_name), and are stored under
names Quorum chooses, always ending .pdf.

Files stored before this migration keep working without a data migration: readers get only
the cleaned copy, and a file that has none is cleaned (checked under the same limits as an
upload) the first time it is asked for, by the document page or a pack build
(services.appendix_cleaned_document). Their original names were not kept, so their downloads
are named "appendix-<letter>.pdf".
"""

import committee.models
import committee.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('committee', '0007_agendapack_sent_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='appendix',
            name='document_name',
            field=models.CharField(blank=True, editable=False, help_text='The name the uploaded file had; its downloads are named after it.', max_length=255, verbose_name='original file name'),
        ),
        migrations.AddField(
            model_name='historicalappendix',
            name='document_name',
            field=models.CharField(blank=True, editable=False, help_text='The name the uploaded file had; its downloads are named after it.', max_length=255, verbose_name='original file name'),
        ),
        migrations.AlterField(
            model_name='appendix',
            name='document',
            field=models.FileField(blank=True, help_text='Readers get a cleaned copy (the pages only); the file as uploaded is kept for officers.', upload_to=committee.models.appendix_upload_to, validators=[committee.validators.validate_pdf_upload]),
        ),
        migrations.AlterField(
            model_name='historicalappendix',
            name='document',
            field=models.TextField(blank=True, help_text='Readers get a cleaned copy (the pages only); the file as uploaded is kept for officers.', max_length=100, validators=[committee.validators.validate_pdf_upload]),
        ),
    ]
